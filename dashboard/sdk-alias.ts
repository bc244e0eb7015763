// Resolves @katapp/client to the SDK's sources in this repository, for the Vite build and the tests alike, so
// the dashboard never runs against a stale clients/typescript/dist. tsconfig.json maps the same paths for tsc.
import { fileURLToPath } from 'node:url';

const clientSource = fileURLToPath(new URL('../clients/typescript/src/', import.meta.url));

export const sdkAlias = [
  { find: /^@katapp\/client\/ws$/, replacement: `${clientSource}ws/index.ts` },
  { find: /^@katapp\/client$/, replacement: `${clientSource}index.ts` },
];
