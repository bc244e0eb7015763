import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { synthStage } from './support/synth.js';

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = cfnLint.status === 0;

// cfn-lint is a Python tool outside the npm dependencies; without it the check cannot run here.
describe.skipIf(!available)('cfn-lint', () => {
  // One cfn-lint run for both stages: each run spends seconds starting Python and loading the specs.
  it('accepts the templates of both stages', async () => {
    const templateFiles = [
      ...(await synthStage('dev')).templateFiles,
      ...(await synthStage('prod')).templateFiles,
    ];
    expect(templateFiles).toHaveLength(3);
    const result = await run('cfn-lint', [
      '-t',
      ...templateFiles,
      '--regions',
      'eu-central-1',
      '--ignore-checks',
      'W3005',
    ]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

/** Runs a command without blocking the event loop and returns its exit status and combined output. */
function run(command: string, args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}
