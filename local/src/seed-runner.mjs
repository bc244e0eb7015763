// Runs the handlers' seed module in a child process with a Lambda function's environment, so the seed
// uses the same table names and endpoints as the functions. argv: [path of handlers/src/admin/seed.ts].

import { pathToFileURL } from 'node:url';

const [seedPath] = process.argv.slice(2);
try {
  const module = await import(pathToFileURL(seedPath).href);
  const result = await module.seedPlatform(module.localSeed);
  process.send({ type: 'result', result, seed: module.localSeed }, () => process.exit(0));
} catch (error) {
  process.send(
    { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    () => process.exit(1),
  );
}
