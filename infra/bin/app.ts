/**
 * CDK entry point (cdk.json: `tsx bin/app.ts`). The stage comes from `-c stage=<name>` or KATAPP_STAGE
 * (default dev); configuration overrides come from KATAPP_* variables (see src/config.ts).
 */
import { buildApp, resolveAccount } from '../src/app.js';
import { overridesFromEnvironment, PLACEHOLDER_ACCOUNT, resolveStageConfig } from '../src/config.js';

const stage = stageFromContext() ?? process.env.KATAPP_STAGE ?? 'dev';
const overrides = overridesFromEnvironment(process.env);

// Checked before building, because building bundles every function.
if (resolveAccount(resolveStageConfig(stage, overrides)) === PLACEHOLDER_ACCOUNT) {
  if (process.env.KATAPP_REQUIRE_ACCOUNT === '1') {
    console.error(
      `Stage ${stage} has no AWS account: the CDK CLI found no credentials and KATAPP_ACCOUNT is not set. ` +
        'Configure credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID or a web identity) or set KATAPP_ACCOUNT, then deploy again.',
    );
    process.exit(1);
  }
  console.error(
    `Synthesizing stage ${stage} for the placeholder account ${PLACEHOLDER_ACCOUNT} (no credentials and no KATAPP_ACCOUNT); the templates serve inspection and the local runtime, not a deploy.`,
  );
}

const { app } = await buildApp({ stage, overrides });
app.synth();

/** Reads `-c stage=...`, which the CLI passes in the CDK_CONTEXT_JSON variable. */
function stageFromContext(): string | undefined {
  const json = process.env.CDK_CONTEXT_JSON;
  if (!json) {
    return undefined;
  }
  const value = (JSON.parse(json) as Record<string, unknown>).stage;
  return typeof value === 'string' ? value : undefined;
}
