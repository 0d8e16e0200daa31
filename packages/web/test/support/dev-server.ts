import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

export const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Serves the components from source (Vite transpiles the TypeScript) on an ephemeral port. */
export async function startDevServer(): Promise<{ server: ViteDevServer; origin: string }> {
  const server = await createServer({
    configFile: false,
    root: WEB_ROOT,
    logLevel: 'error',
    // No dependency pre-bundling: it would reload the page mid-test when it discovers Lit.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${address.port}` };
}
