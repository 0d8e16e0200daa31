/**
 * The bare pipeline: the same send flow as the server in a few dozen lines —
 * Hono POST → one INSERT → Redis PUBLISH to both users → `ws` frame → GET by
 * id. No authentication (the bearer token is the username), validation, inbox
 * rows or logs. It is the ceiling for this stack on this machine, so every
 * server figure is read as a ratio to it measured in the same run.
 */
import type { IncomingMessage } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { createPool } from 'mysql2/promise';
import { type WebSocket, WebSocketServer } from 'ws';

const env = process.env;
const prefix = env.REDIS_CHANNEL_PREFIX ?? 'pipeline';
const pool = createPool({ uri: env.DATABASE_URL, connectionLimit: 16, supportBigNumbers: true, bigNumberStrings: true });
await pool.query(
  `CREATE TABLE IF NOT EXISTS messages (
     id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
     sender VARCHAR(32) NOT NULL, recipient VARCHAR(32) NOT NULL,
     body TEXT NOT NULL, created_at DATETIME(3) NOT NULL)`,
);
const publisher = new Redis(env.REDIS_URL as string);
const subscriber = new Redis(env.REDIS_URL as string);
const sockets = new Map<string, Set<WebSocket>>();

await subscriber.psubscribe(`${prefix}:user:*`);
subscriber.on('pmessage', (_pattern, channel: string, frame: string) => {
  for (const socket of sockets.get(channel.slice(prefix.length + 6)) ?? []) socket.send(frame);
});

const userOf = (authorization: string | undefined) => authorization?.slice('Bearer '.length) ?? '';

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.post('/api/v1/messages', async (c) => {
  const sender = userOf(c.req.header('authorization'));
  const { recipient, body } = await c.req.json<{ recipient: string; body: string }>();
  const createdAt = new Date();
  const [result] = await pool.execute('INSERT INTO messages (sender, recipient, body, created_at) VALUES (?, ?, ?, ?)', [
    sender,
    recipient,
    body,
    createdAt,
  ]);
  const id = String((result as { insertId: number | string }).insertId);
  const frame = JSON.stringify({ type: 'message.created', id, sender, recipient });
  await Promise.all([publisher.publish(`${prefix}:user:${sender}`, frame), publisher.publish(`${prefix}:user:${recipient}`, frame)]);
  return c.json({ id, sender, recipient, body, createdAt: createdAt.toISOString() }, 201);
});
app.get('/api/v1/messages/:id', async (c) => {
  const [rows] = await pool.execute('SELECT id, sender, recipient, body, created_at FROM messages WHERE id = ?', [c.req.param('id')]);
  const row = (rows as Array<{ id: string; sender: string; recipient: string; body: string; created_at: Date }>)[0];
  if (!row) return c.json({ status: 404 }, 404);
  return c.json({ id: row.id, sender: row.sender, recipient: row.recipient, body: row.body, createdAt: row.created_at.toISOString() });
});

const server = serve({ fetch: app.fetch, port: Number(env.PORT ?? 0), hostname: env.HOST ?? '127.0.0.1' });
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (request: IncomingMessage, socket, head) => {
  const user = userOf(request.headers.authorization);
  wss.handleUpgrade(request, socket, head, (ws) => {
    const set = sockets.get(user) ?? new Set<WebSocket>();
    set.add(ws);
    sockets.set(user, set);
    ws.on('close', () => set.delete(ws));
    ws.send(JSON.stringify({ type: 'ready', user: { id: user, username: user } }));
  });
});

process.once('SIGTERM', () => {
  for (const set of sockets.values()) for (const ws of set) ws.terminate();
  server.close();
  void Promise.all([pool.end(), publisher.quit(), subscriber.quit()]).finally(() => process.exit(0));
});
