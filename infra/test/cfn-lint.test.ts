import { spawnSync } from 'node:child_process';
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
    const result = spawnSync(
      'cfn-lint',
      ['-t', ...templateFiles, '--regions', 'eu-central-1', '--ignore-checks', 'W3005'],
      { encoding: 'utf8' },
    );
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
