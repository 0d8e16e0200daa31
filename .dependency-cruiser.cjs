/** The hexagon's import rules; `npm run lint` fails on any violation. */
const IO_MODULES = '^(node:)?(fs|fs/promises|net|tls|http|http2|https|dgram|dns|child_process|cluster|worker_threads|readline|os|path)$';
const ADAPTER_LIBRARIES = '(^|/)node_modules/(hono|@hono|kysely|mysql2|better-sqlite3|ws|ioredis|lit|zod|nodemailer)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide layering mistakes.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-adapter-library',
      severity: 'error',
      comment: 'The core is pure: no web framework, SQL, driver or socket library.',
      from: { path: '^packages/core/src' },
      to: { path: ADAPTER_LIBRARIES },
    },
    {
      name: 'core-does-no-io',
      severity: 'error',
      comment: 'The core does no I/O; only its crypto adapters may use node:crypto.',
      from: { path: '^packages/core/src', pathNot: '^packages/core/src/crypto/' },
      to: { dependencyTypes: ['core'], path: `${IO_MODULES}|^(node:)?crypto$` },
    },
    {
      name: 'core-imports-no-other-package',
      severity: 'error',
      from: { path: '^packages/core/src' },
      to: { path: '^packages/(?!core/)' },
    },
    {
      name: 'inversify-only-in-core-wiring',
      severity: 'error',
      comment: 'Use cases stay free of the container; only the wiring folder knows it.',
      from: { path: '^packages/core/src', pathNot: '^packages/core/src/wiring/' },
      to: { path: '(^|/)node_modules/(inversify|@inversifyjs)/' },
    },
    {
      name: 'adapters-never-import-each-other',
      severity: 'error',
      comment: 'Adapters depend on the core only; the server composes them.',
      from: { path: '^packages/(adapters-[^/]+)/' },
      to: { path: '^packages/(adapters-[^/]+|server|web)/', pathNot: '^packages/$1/' },
    },
    {
      name: 'web-stands-alone',
      severity: 'error',
      comment: 'The browser bundle talks to the server over HTTP only.',
      from: { path: '^packages/web/src' },
      to: { path: '^packages/(?!web/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^packages/[^/]+/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.check.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@message-center/source', 'import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
    builtInModules: { add: ['bun:sqlite'] },
  },
};
