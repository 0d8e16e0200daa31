import type { IncomingMessage } from 'node:http';

const own = Symbol('handshake request');

interface Own {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  whole?: Request;
}

type HandshakeRequest = Request & { readonly [own]: Own };

/**
 * The upgrade request as the app sees it: a `Request` (it passes `instanceof
 * Request`, so `app.request` routes it as it is) whose URL, method and headers
 * come from Node's request, and which builds a whole web `Request` only when
 * something asks for more of it (its signal, a clone, the body).
 *
 * A whole one per handshake would cost an `AbortController`, whose signal V8
 * allocates where only a full collection frees it: half a kilobyte of garbage
 * a socket that stays in the heap after a burst of handshakes (BENCHMARKS.md).
 * @hono/node-server serves plain requests the same way.
 */
export function handshakeRequest(incoming: IncomingMessage, url = `http://localhost${incoming.url ?? '/'}`): Request {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return made({ url, method: incoming.method ?? 'GET', headers });
}

/** The same request at another URL: still one that builds a whole `Request` only when asked, if it was one. */
export function retarget(request: Request, url: string): Request {
  const fields = (request as Partial<HandshakeRequest>)[own];
  if (!fields) return new Request(url, { method: request.method, headers: request.headers });
  return made({ url, method: fields.method, headers: fields.headers });
}

function made(fields: Own): Request {
  const request = Object.create(prototypeFor(globalThis.Request)) as { [own]: Own };
  request[own] = fields;
  return request as unknown as Request;
}

let current: { readonly base: typeof Request; readonly prototype: object } | undefined;

/**
 * Made for the `Request` class of the moment: @hono/node-server puts its own
 * subclass in its place once it serves, and Hono's `app.request` routes a
 * request as it is only if it is an instance of that one.
 */
function prototypeFor(base: typeof Request): object {
  if (current?.base !== base) current = { base, prototype: makePrototype(base) };
  return current.prototype;
}

function makePrototype(base: typeof Request): object {
  const whole = (request: HandshakeRequest): Request => {
    const fields = request[own];
    fields.whole ??= new base(fields.url, { method: fields.method, headers: fields.headers });
    return fields.whole;
  };
  const prototype: object = Object.create(base.prototype, {
    url: {
      get(this: HandshakeRequest) {
        return this[own].url;
      },
      enumerable: true,
    },
    method: {
      get(this: HandshakeRequest) {
        return this[own].method;
      },
      enumerable: true,
    },
    headers: {
      get(this: HandshakeRequest) {
        return this[own].headers;
      },
      enumerable: true,
    },
  });
  // Everything else a Request has is asked of the whole one: Request's own
  // accessors and methods refuse an object they did not make.
  for (let level: object | null = base.prototype; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const key of Reflect.ownKeys(level)) {
      if (key === 'constructor' || Object.hasOwn(prototype, key)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(level, key) as PropertyDescriptor;
      if (descriptor.get) {
        Object.defineProperty(prototype, key, {
          get(this: HandshakeRequest) {
            return Reflect.get(whole(this), key);
          },
          enumerable: descriptor.enumerable ?? false,
        });
      } else if (typeof descriptor.value === 'function') {
        Object.defineProperty(prototype, key, {
          value(this: HandshakeRequest, ...args: unknown[]) {
            const request = whole(this);
            return (Reflect.get(request, key) as (...a: unknown[]) => unknown).apply(request, args);
          },
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return prototype;
}
