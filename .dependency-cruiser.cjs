/** The hexagon's import rules; `npm run lint` fails on any violation. */
const IO_MODULES = '^(node:)?(fs|fs/promises|net|tls|http|http2|https|dgram|dns|child_process|cluster|worker_threads|readline|os|path)$';
const ADAPTER_LIBRARIES = '(^|/)node_modules/(hono|@hono|kysely|mysql2|better-sqlite3|ws|ioredis|lit|zod|nodemailer)/';

const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * The source files behind each package's `exports` (its `@message-center/source`
 * condition): the only files one package may import from another. Read from
 * the package.json files so the rule and the published API cannot drift apart.
 */
function publicEntryFiles() {
  const packagesDir = join(__dirname, 'packages');
  const entries = [];
  for (const dir of readdirSync(packagesDir)) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const target of Object.values(manifest.exports ?? {})) {
      const source = typeof target === 'object' ? target['@message-center/source'] : undefined;
      if (source) entries.push(`packages/${dir}/${source.replace(/^\.\//, '')}`);
    }
  }
  return entries;
}
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The HTTP adapter's row-by-row API suite is run by the server's tests on SQL storage,
// because only the server may know two adapters at once.
const SHARED_TEST_SUITES = ['packages/adapters-http/test/api-suite.ts', 'packages/adapters-http/test/account-email-suite.ts'];
const PUBLIC_ENTRIES = `^(${[...publicEntryFiles(), ...SHARED_TEST_SUITES].map(escapeRegExp).join('|')})$`;

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
      from: { path: '^packages/core/src', pathNot: '^packages/core/src/wire/' },
      to: { path: ADAPTER_LIBRARIES },
    },
    {
      name: 'wire-contract-is-zod-only',
      severity: 'error',
      comment: 'The wire contract (core/src/wire) is zod schemas of JSON shapes: zod is the one library it may use.',
      from: { path: '^packages/core/src/wire/' },
      to: { path: ADAPTER_LIBRARIES.replace('|zod|', '|') },
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
      name: 'no-package-internals',
      severity: 'error',
      comment: 'Another package is used through its public entry points (its package.json `exports`), never by a path into its files.',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/[^/]+/', pathNot: ['^packages/$1/', PUBLIC_ENTRIES] },
    },
    {
      name: 'web-stands-alone',
      severity: 'error',
      comment: 'The browser bundle talks to the server over HTTP only; it takes the types of the wire contract, nothing that runs.',
      from: { path: '^packages/web/src' },
      to: { path: '^packages/(?!web/)', pathNot: '^packages/core/src/wire/' },
    },
    {
      name: 'web-takes-wire-types-only',
      severity: 'error',
      comment: 'Type-only: not one byte of the core or of zod may reach the browser bundle.',
      from: { path: '^packages/web/src' },
      to: { path: '^packages/core/src/wire/', dependencyTypesNot: ['type-only'] },
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
