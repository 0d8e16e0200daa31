// The TCP hop of test-support/tcp-proxy.ts, run on a thread of its own (see proxy-thread.ts):
// in the test's own event loop every database and client round trip of both servers
// waited behind the test's work. Plain JavaScript, since a worker is not compiled.
import { once } from 'node:events';
import { connect as connectTcp, createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { targetHost, targetPort, counter } = workerData;
const connections = new Int32Array(counter);
const sockets = new Set();
const pairs = new Set();
let server;
let port = 0;
let hanging = false;

const count = () => Atomics.store(connections, 0, pairs.size);

function forward(pair, to, chunk) {
  if (hanging) pair.held.push({ to, chunk });
  else to.write(chunk);
}

async function start() {
  const listening = createServer((client) => {
    const upstream = connectTcp(targetPort, targetHost);
    const pair = { client, upstream, held: [] };
    pairs.add(pair);
    count();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('data', (chunk) => forward(pair, upstream, chunk));
    upstream.on('data', (chunk) => forward(pair, client, chunk));
    client.on('close', () => {
      pairs.delete(pair);
      count();
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  listening.listen(port, '127.0.0.1');
  await once(listening, 'listening');
  server = listening;
  port = listening.address().port;
  return port;
}

async function cut() {
  const closing = server;
  server = undefined;
  for (const socket of sockets) socket.destroy();
  if (closing) await new Promise((resolve) => closing.close(resolve));
}

function resume() {
  hanging = false;
  for (const pair of pairs) for (const { to, chunk } of pair.held.splice(0)) to.write(chunk);
}

parentPort.on('message', async ({ id, op }) => {
  let value;
  if (op === 'start') value = await start();
  else if (op === 'cut') await cut();
  else if (op === 'hang') hanging = true;
  else if (op === 'resume') resume();
  parentPort.postMessage({ id, value });
});
