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
 */
export function bodyLimit(maxBytes: number) {
  return createMiddleware(async function bodyLimit(c, next) {
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
  });
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
