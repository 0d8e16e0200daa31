import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

/**
 * `npm run lint` must reject imports that break the hexagon. This builds a
 * throwaway tree shaped like ours, with one offending file per rule, and runs
 * the project's own dependency-cruiser configuration over it.
 */
describe('the dependency rules of npm run lint', () => {
  let tree: string;

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  };

  const cruise = async (): Promise<string> => {
    const bin = join(root, 'node_modules/.bin/depcruise');
    try {
      await run(bin, ['packages', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd: tree });
      return '';
    } catch (error) {
      return String((error as { stdout?: string }).stdout);
    }
  };

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'mc-deprules-'));
    symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
    cpSync(join(root, 'tsconfig.base.json'), join(tree, 'tsconfig.base.json'));
    cpSync(join(root, 'tsconfig.check.json'), join(tree, 'tsconfig.check.json'));
  });

  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('accepts a tree that keeps them', async () => {
    write('packages/core/src/users/user.ts', 'export const user = 1;\n');
    write('packages/core/src/index.ts', "export { user } from './users/user.js';\n");
    write('packages/adapters-mysql/src/repo.ts', "import { user } from '../../core/src/index.js';\nexport const repo = user;\n");
    expect(await cruise()).toBe('');
  });

  it('rejects each kind of offending import', async () => {
    write('packages/core/src/io.ts', "import { readFile } from 'node:fs';\nexport const io = readFile;\n");
    write('packages/core/src/web.ts', "import { Hono } from 'hono';\nexport const web = Hono;\n");
    write('packages/core/src/sql.ts', "import { sql } from 'kysely';\nexport const q = sql;\n");
    write('packages/core/src/container.ts', "import { Container } from 'inversify';\nexport const c = Container;\n");
    write('packages/adapters-http/src/cross.ts', "import { repo } from '../../adapters-mysql/src/repo.js';\nexport const cross = repo;\n");
    write('packages/adapters-ws/src/deep.ts', "import { user } from '../../core/src/users/user.js';\nexport const deep = user;\n");
    write('packages/core/src/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    write('packages/core/src/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");

    const report = await cruise();

    expect(report).toMatch(/core-does-no-io: packages\/core\/src\/io\.ts → fs/);
    expect(report).toMatch(/core-imports-no-adapter-library: packages\/core\/src\/web\.ts → .*node_modules\/hono\//);
    expect(report).toMatch(/core-imports-no-adapter-library: packages\/core\/src\/sql\.ts → .*node_modules\/kysely\//);
    expect(report).toMatch(/inversify-only-in-core-wiring: packages\/core\/src\/container\.ts/);
    expect(report).toMatch(/adapters-never-import-each-other: packages\/adapters-http\/src\/cross\.ts/);
    expect(report).toMatch(/no-package-internals: packages\/adapters-ws\/src\/deep\.ts → packages\/core\/src\/users\/user\.ts/);
    expect(report).not.toMatch(/no-package-internals: packages\/adapters-mysql\/src\/repo\.ts/);
    expect(report).toMatch(/no-circular: packages\/core\/src\/a\.ts/);
  });
});
