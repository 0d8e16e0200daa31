import { describe, expect, it } from 'vitest';
import { createMessageCenter } from '../src/index.js';
import { quietLogger } from './support.js';

describe('the built web page', () => {
  it('names a favicon that is served, so no page load logs a 404', async () => {
    const center = await createMessageCenter({ storage: 'memory', logger: quietLogger });
    try {
      const page = await (await center.app.request('/')).text();
      const href = /<link rel="icon" type="image\/svg\+xml" href="\.\/([^"]+)"/.exec(page)?.[1];
      expect(href).toMatch(/^assets\/favicon-.+\.svg$/);
      const icon = await center.app.request(`/${href}`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    } finally {
      await center.close();
    }
  });
});
