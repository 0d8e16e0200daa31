import type { Issue } from '@message-center/core';
import { ProblemException, problemOf } from './problem.js';

interface HookResult {
  readonly success: boolean;
  readonly target: string;
  readonly error?: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] };
}

/** Paths name fields as clients know them; a whole-body problem is at `body`. */
const TARGET_NAMES: Record<string, string> = { json: 'body', param: 'path' };

/** Schema failures at the edge: 422 with one `{path, message}` per zod issue. */
export function validationHook(result: HookResult): void {
  if (result.success || !result.error) return;
  const where = TARGET_NAMES[result.target] ?? result.target;
  const issues: Issue[] = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : where,
    message: issue.message,
  }));
  throw new ProblemException({ problem: problemOf('validation-failed', `The request ${where} is not valid.`, issues) });
}
