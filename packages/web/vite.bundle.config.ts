import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The embeddable bundle: one ES module with Lit inside and styles in JS, for a `<script type="module">`. */
export default defineConfig({
  // Lit's production build whatever NODE_ENV says (vitest sets it to `test`, which would pick Lit's dev mode and its console warning).
  resolve: { conditions: ['module', 'browser', 'production'] },
  logLevel: 'warn',
  build: {
    outDir: here('./dist/bundle'),
    emptyOutDir: true,
    target: 'es2022',
    lib: { entry: here('./src/bundle.ts'), formats: ['es'], fileName: () => 'message-center.js' },
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
