import { createRoute, z } from '@hono/zod-openapi';
import { failWith } from '../problems/problem.js';
import { json, problems } from '../schemas.js';
import { newRouter } from './deps.js';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'checkHealth',
  tags: ['health'],
  summary: 'Whether the store answers',
  security: [],
  responses: { 200: { description: 'the store answers', content: json(z.object({ status: z.literal('ok') })) }, ...problems() },
});

export function healthRoutes(healthCheck: () => Promise<boolean>) {
  const app = newRouter();
  app.openapi(health, async (c) => {
    // A check that throws is as unhealthy as one that says no.
    const healthy = await healthCheck().catch(() => false);
    if (!healthy) failWith('unavailable', 'The store does not answer.');
    return c.json({ status: 'ok' as const }, 200);
  });
  return app;
}
