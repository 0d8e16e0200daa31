/**
 * Work that must not delay or change an answer: it runs after the use case
 * returns, and its failures are reported to the operator, never to the caller.
 */
export interface Background {
  run(label: string, task: () => Promise<void>): void;
}
