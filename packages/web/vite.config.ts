import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The standalone page served by the server at `/`: `dist/app/index.html` and hashed assets.
 * No inline script or style is emitted, so the page passes a `'self'`-only CSP.
 */
export default defineConfig({
  // Lit's production build whatever NODE_ENV says (vitest sets it to `test`, which would pick Lit's dev mode and its console warning).
  resolve: { conditions: ['module', 'browser', 'production'] },
  root: here('./app'),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: here('./dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
