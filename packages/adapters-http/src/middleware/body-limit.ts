import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { failWith } from '../problems/problem.js';

/** Past this much, an oversized upload is cut off rather than read to its end. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * Refuses bodies over `maxBytes` with 413 before anything parses them.
 *
 * Unlike `hono/body-limit`, the rest of an oversized body is read and thrown
 * away before answering. On Node, answering while the client is still
 * sending leaves unread bytes on the socket: @hono/node-server's drain then
 * stalls behind the body's web stream, and the connection is dropped, so the
 * client saw a reset (or a reused keep-alive socket hung up) instead of the 413.
 *
 * On Node the body is read straight from the `IncomingMessage`, and requests
 * without one are never touched: asking the request for its body makes
 * @hono/node-server build a whole web `Request` (an AbortController, a web
 * stream over the socket), which a profile of the send path showed costing
 * more than the validation and routing it serves.
 */
export function bodyLimit(maxBytes: number) {
  return createMiddleware(async function bodyLimit(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const incoming = nodeIncoming(c);
    if (incoming) {
      const body = await readIncoming(incoming, maxBytes);
      if (body === undefined) failWith('payload-too-large', `Request bodies are limited to ${maxBytes} bytes.`);
      // What `c.req.json()` (and so the validators) read: decoded as `Request.text()` does, BOM dropped, bad bytes replaced.
      // Hono keeps promises there (its type says values); `c.req.text()` and `json()` return the cached one.
      (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(new TextDecoder().decode(body));
      return next();
    }
    return webBodyLimit(c, next, maxBytes);
  });
}

function nodeIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead ? incoming : undefined;
}

/** The whole body, or undefined when it is over `maxBytes` (the rest then read and dropped, up to a bound). */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = incoming.headers['transfer-encoding'] ? undefined : Number(incoming.headers['content-length'] ?? 0);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared !== undefined && declared > maxBytes;
    const done = () => {
      incoming.off('data', onData);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (!tooLarge && size > maxBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else if (size > MAX_DISCARD_BYTES) {
        done();
        // Nothing reads it any more; a late socket error must not become an unhandled 'error' event.
        incoming.on('error', () => {});
        incoming.destroy();
        resolve(undefined);
      }
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // A client that goes away mid-body; `clientAborted` tells it from a failure of ours.
    const onClose = () => onError(new Error('the client closed the connection before the body was complete'));
    incoming.on('data', onData);
    incoming.on('error', onError);
    incoming.on('close', onClose);
    incoming.once('end', () => {
      done();
      resolve(tooLarge ? undefined : Buffer.concat(chunks, size));
    });
  });
}

/** The same limit over the web `Request`, for runtimes other than Node and for `app.request()` in tests. */
async function webBodyLimit(c: Context, next: () => Promise<void>, maxBytes: number): Promise<void> {
  const body = c.req.raw.body;
  if (!body) return next();
  const declared = c.req.header('transfer-encoding') ? undefined : Number(c.req.header('content-length') ?? Number.NaN);
  // Node's parser never reads past a declared Content-Length, so a small one needs no counting (nor a copy of the request).
  if (declared !== undefined && declared <= maxBytes) return next();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooLarge = declared !== undefined && declared > maxBytes;
  while (!tooLarge) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) tooLarge = true;
    else chunks.push(value);
  }
  if (tooLarge) {
    await discard(reader, size);
    failWith('payload-too-large', `Request bodies are limited to ${maxBytes} bytes.`);
  }
  c.req.raw = new Request(c.req.raw, { body: concat(chunks, size) });
  return next();
}

async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<void> {
  let size = alreadyRead;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > MAX_DISCARD_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client gave up; there is no one left to answer.
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const buffer = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    buffer.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return buffer;
}
