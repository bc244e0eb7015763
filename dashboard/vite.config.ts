// Vite build of the KatApp Dashboard into dashboard/dist, with a default runtime config.json next to index.html.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { sdkAlias } from './sdk-alias.js';

/**
 * Returns the runtime configuration written as dist/config.json and served by the dev server. Deployments
 * replace the file, because the CDK stack uploads a config.json with the stage's API URLs. The local platform
 * serves the build folder as it is, so the defaults are the URLs of `make up`. KATAPP_API_URL and
 * KATAPP_WEBSOCKET_URL override them at build time.
 */
function runtimeConfig(): Record<string, string> {
  return {
    apiUrl: process.env.KATAPP_API_URL ?? 'http://127.0.0.1:3000',
    webSocketUrl: process.env.KATAPP_WEBSOCKET_URL ?? 'ws://127.0.0.1:3001/dev',
  };
}

function configJson(): Plugin {
  return {
    name: 'katapp-config-json',
    configureServer(server) {
      server.middlewares.use('/config.json', (_request, response) => {
        response.setHeader('Content-Type', 'application/json');
        response.end(JSON.stringify(runtimeConfig()));
      });
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'config.json',
        source: `${JSON.stringify(runtimeConfig(), null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), configJson()],
  resolve: { alias: sdkAlias },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // React, Leaflet with markercluster and the SDK's route table make one chunk of about 510 KB (150 KB gzip).
    // The dashboard needs all of them on its first screen, so splitting would only add round trips.
    chunkSizeWarningLimit: 600,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
