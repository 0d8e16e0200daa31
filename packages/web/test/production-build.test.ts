import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (path: string) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

/** Lit's development build logs this warning on every page that loads it; the shipped files must be its production build. */
const DEV_MODE_WARNING = 'Lit is in dev mode';

describe('the built web files', () => {
  it('carry Lit in production mode, the embeddable bundle and the standalone page alike', () => {
    const files = [
      dist('bundle/message-center.js'),
      ...readdirSync(dist('app/assets'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => dist(`app/assets/${f}`)),
    ];
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) expect(readFileSync(file, 'utf8').includes(DEV_MODE_WARNING), file).toBe(false);
  });
});
