/**
 * One synthesized app per stage, shared by every test file (the vitest config runs them in one worker
 * without isolation). Bundling dominates the time, and aws-cdk-lib reuses a bundle across stages in one
 * process, so the second stage costs little.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import { buildApp, type KatAppAssembly } from '../../src/app.js';
import type { StageName, StageOverrides } from '../../src/config.js';

/** Domain used for the prod synth: a reserved example name and a well-formed (not real) hosted zone id. */
export const TEST_DOMAIN = { name: 'katapp.example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } as const;

/**
 * dev as configured: no domain, GitHub OIDC roles. prod with a domain and IAM-user identities, so the two
 * synths cover both DNS layouts and both deploy identity kinds.
 */
export const STAGE_OVERRIDES: Record<StageName, StageOverrides> = {
  dev: {},
  prod: { domain: TEST_DOMAIN, deployIdentity: 'iam-user' },
};

export interface SynthesizedStage {
  readonly assembly: KatAppAssembly;
  readonly outdir: string;
  readonly platform: Template;
  readonly certificates?: Template;
  readonly templateFiles: string[];
  /** Wall-clock time of build + synth in milliseconds. */
  readonly durationMs: number;
}

const cache = new Map<StageName, Promise<SynthesizedStage>>();

// Both stages write to one cloud assembly folder: aws-cdk-lib keys its bundle cache on the output folder,
// so the second stage reuses the first stage's bundles. Template files are named per stack and do not
// collide; manifest.json describes the stage synthesized last.
const outdir = temporaryFolder();

/** Creates a folder inside the run's temporary root, which the global setup removes after the run. */
export function temporaryFolder(): string {
  return mkdtempSync(path.join(inject('temporaryRoot'), 'folder-'));
}

export function synthStage(stage: StageName): Promise<SynthesizedStage> {
  let result = cache.get(stage);
  if (!result) {
    result = synthesize(stage);
    cache.set(stage, result);
  }
  return result;
}

async function synthesize(stage: StageName): Promise<SynthesizedStage> {
  const started = Date.now();
  // The tests must not pick up an account from the developer's environment.
  const assembly = await buildApp({
    stage,
    overrides: { ...STAGE_OVERRIDES[stage], account: '111111111111' },
    outdir,
  });
  const cloudAssembly = assembly.app.synth();
  const templateFiles = cloudAssembly.stacks.map((stack) => path.join(outdir, stack.templateFile));
  return {
    assembly,
    outdir,
    platform: Template.fromStack(assembly.platform),
    certificates: assembly.certificates ? Template.fromStack(assembly.certificates) : undefined,
    templateFiles,
    durationMs: Date.now() - started,
  };
}

/**
 * Flattens a CloudFormation string value for comparison: `Fn::Join` parts are joined, `Ref` becomes
 * `<Ref:Id>` (pseudo parameters stay `<AWS::Region>`) and `Fn::GetAtt` becomes `<Id.Attribute>`.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      return `<${String(getAtt[0])}.${String(getAtt[1])}>`;
    }
    if (typeof node.Ref === 'string') {
      return node.Ref.startsWith('AWS::') ? `<${node.Ref}>` : `<Ref:${node.Ref}>`;
    }
  }
  return JSON.stringify(value);
}

/** Returns the resources of `type` in a template as [logicalId, resource] pairs. */
export function resourcesOfType(
  template: Template,
  type: string,
): [string, { Properties: Record<string, unknown> }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: Record<string, unknown> }][];
}
