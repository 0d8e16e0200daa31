/** One operation of the OpenAPI document the server serves: what the fuzzer and the access matrix are generated from. */
export interface Operation {
  readonly method: string;
  /** As in the document, with `{name}` placeholders. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly bodyFields: readonly string[];
  /** `true` when the operation names a security requirement: it needs a session. */
  readonly needsSession: boolean;
  readonly statuses: readonly number[];
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
  readonly security?: readonly unknown[];
}
interface OpenApiOperation {
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: Schema }> };
  readonly security?: readonly Record<string, unknown>[];
  readonly responses?: Record<string, unknown>;
}
interface Schema {
  readonly $ref?: string;
  readonly properties?: Record<string, unknown>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Reads `/api/v1/openapi.json` from a running server: every route, as the server itself declares it. */
export async function routeTable(base: string): Promise<Operation[]> {
  const res = await fetch(`${base}/api/v1/openapi.json`);
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  const doc = (await res.json()) as OpenApiDocument;
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    const name = schema?.$ref?.split('/').at(-1);
    return name ? doc.components?.schemas?.[name] : schema;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      // The WebSocket upgrade (101) has its own fuzzer and access checks; these tables drive REST requests.
      if (op.responses?.['101'] !== undefined) continue;
      const parameters = op.parameters ?? [];
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      const security = op.security ?? doc.security ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(body?.properties ?? {}),
        needsSession: security.some((requirement) => Object.keys(requirement as object).length > 0),
        statuses: Object.keys(op.responses ?? {}).map(Number),
      });
    }
  }
  return operations;
}

/** The path with each `{name}` replaced (already encoded by the caller). */
export function fillPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return value;
  });
}
