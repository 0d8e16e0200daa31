import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The embeddable bundle: one ES module with Lit inside and styles in JS, for a `<script type="module">`. */
export default defineConfig({
  logLevel: 'warn',
  build: {
    outDir: here('./dist/bundle'),
    emptyOutDir: true,
    target: 'es2022',
    lib: { entry: here('./src/bundle.ts'), formats: ['es'], fileName: () => 'message-center.js' },
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
