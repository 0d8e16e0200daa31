// The packed-install test: what a user gets from `npm install`, not what the
// workspace links. Packs every public package, installs the tarballs into a
// fresh app outside the repository (its own package.json, dependencies from the
// registry), type-checks a consumer with `moduleResolution: nodenext` and
// `skipLibCheck: false`, and runs it. Prints how long each step took.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const started = Date.now();
const timings = [];
const step = (name, work) => {
  const at = Date.now();
  console.log(`\n--- ${name}`);
  const result = work();
  timings.push([name, Date.now() - at]);
  return result;
};
const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const workspaces = readJson(join(root, 'package.json')).workspaces.map((dir) => ({ dir, pkg: readJson(join(root, dir, 'package.json')) }));
const published = workspaces.filter((w) => !w.pkg.private);
const app = mkdtempSync(join(tmpdir(), 'mc-packed-install-'));
const keep = process.env.KEEP_PACKED_APP === '1';

try {
  step('package manifests', () => checkManifests(published));
  const tarballs = step('npm pack', () => {
    const out = join(app, 'tarballs');
    mkdirSync(out);
    const args = ['pack', '--pack-destination', out, '--json', ...published.flatMap((w) => ['--workspace', w.dir])];
    const packed = JSON.parse(execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      const stray = files.filter((f) => /\.(test|spec)\.|\.map$|^src\//.test(f));
      if (stray.length > 0) throw new Error(`${p.name} packs files no user needs: ${stray.join(', ')}`);
      if (!files.includes('README.md')) throw new Error(`${p.name} has no README.md`);
      console.log(`${p.filename}: ${p.entryCount} files, ${(p.size / 1024).toFixed(0)} KiB`);
    }
    return packed.map((p) => join(out, p.filename));
  });

  step('npm install (fresh app, registry dependencies)', () => {
    const dev = (name) => versionOf(name);
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify(
        {
          name: 'packed-install-host',
          private: true,
          type: 'module',
          dependencies: {
            ...Object.fromEntries(published.map((w, i) => [w.pkg.name, `file:${tarballs[i]}`])),
            hono: dev('hono'),
            '@hono/node-server': dev('@hono/node-server'),
            ws: dev('ws'),
          },
          devDependencies: { typescript: dev('typescript'), '@types/node': dev('@types/node'), '@types/ws': dev('@types/ws') },
        },
        null,
        2,
      )}\n`,
    );
    // Scripts off: this machine cannot download better-sqlite3's prebuilt binary,
    // and compiling SQLite from source takes minutes; the addon is placed below.
    run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
  });

  step('better-sqlite3 native addon', () => placeSqliteAddon(app));

  step('type-check the consumer (nodenext, skipLibCheck: false)', () => {
    for (const file of ['tsconfig.json', 'consumer.ts', 'entry-points.ts']) copyFileSync(join(here, file), join(app, file));
    for (const [i, code] of readmeExamples().entries()) writeFileSync(join(app, `readme-example-${i + 1}.ts`), code);
    run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
  });

  step('run the consumer', () => run(process.execPath, ['out/consumer.js'], app));

  console.log('\npacked install: every step passed');
} finally {
  const total = Date.now() - started;
  for (const [name, ms] of timings) console.log(`${(ms / 1000).toFixed(1).padStart(7)} s  ${name}`);
  console.log(`${(total / 1000).toFixed(1).padStart(7)} s  total`);
  if (keep) console.log(`app kept at ${app}`);
  else rmSync(app, { recursive: true, force: true });
}

/** One version for every package, internal dependencies pinned to it, and what a registry page needs. */
function checkManifests(packages) {
  const versions = new Set(packages.map((w) => w.pkg.version));
  if (versions.size !== 1) throw new Error(`packages disagree on the version: ${[...versions].join(', ')}`);
  const [version] = versions;
  for (const { dir, pkg } of packages) {
    for (const field of ['files', 'types', 'engines', 'exports', 'description']) {
      if (pkg[field] === undefined) throw new Error(`${pkg.name}: no "${field}"`);
    }
    if (pkg.exports['./*'] !== undefined) throw new Error(`${pkg.name} exports ./*`);
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
      if (name.startsWith('@message-center/') && range !== version)
        throw new Error(`${pkg.name} depends on ${name}@${range}, not ${version}`);
    }
    if (!existsSync(join(root, dir, 'README.md'))) throw new Error(`${pkg.name}: no README.md`);
  }
  console.log(`${packages.length} packages at ${version}: ${packages.map((w) => w.pkg.name).join(', ')}`);
}

/** The version this repository pins or installed, so the fresh app matches what the tests ran with. */
function versionOf(name) {
  return readJson(join(root, 'node_modules', name, 'package.json')).version;
}

/** The workspace's own build of the same better-sqlite3 version on this Node; compiled from source otherwise. */
function placeSqliteAddon(appDir) {
  const target = join(appDir, 'node_modules', 'better-sqlite3');
  const built = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (readJson(join(target, 'package.json')).version === versionOf('better-sqlite3') && existsSync(built)) {
    mkdirSync(join(target, 'build', 'Release'), { recursive: true });
    copyFileSync(built, join(target, 'build', 'Release', 'better_sqlite3.node'));
    console.log(
      `reused the workspace's better-sqlite3 ${versionOf('better-sqlite3')} build (same version, same Node ABI ${process.versions.modules})`,
    );
  } else {
    run('npm', ['rebuild', 'better-sqlite3'], appDir);
  }
}

/** The TypeScript blocks of the README's "Embedded in a Node app" section, so the documentation compiles too. */
function readmeExamples() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('### Embedded in a Node app')[1]?.split('\n### ')[0] ?? '';
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => `${m[1]}export {};\n`);
  if (blocks.length < 2) throw new Error('the README no longer has the two embedding examples');
  return blocks;
}
