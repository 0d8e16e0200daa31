import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built standalone page of `@message-center/web`, or `undefined` when it has not been built. */
export function builtWebRoot(): string | undefined {
  const index = builtWebFile('app', 'index.html');
  return index && dirname(index);
}

/** The built embeddable bundle of `@message-center/web`, or `undefined` when it has not been built. */
export function builtWebBundle(): string | undefined {
  return builtWebFile('bundle', 'message-center.js');
}

function builtWebFile(...path: string[]): string | undefined {
  try {
    const packageJson = createRequire(import.meta.url).resolve('@message-center/web/package.json');
    const file = join(dirname(packageJson), 'dist', ...path);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

export const WEB_NOT_BUILT = [
  'Message Center is running; the API is at /api/v1 (OpenAPI document: /api/v1/openapi.json).',
  'The web UI has not been built: run `npm run build --workspace @message-center/web`, then restart the server.',
  '',
].join('\n');
