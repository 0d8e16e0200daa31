/**
 * Ids are decimal strings that fit a signed 64-bit integer, written without
 * leading zeros so that one id has exactly one spelling.
 */
const MAX_ID = 9223372036854775807n;
const ID_PATTERN = /^(0|[1-9][0-9]{0,18})$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value) && BigInt(value) <= MAX_ID;
}

/** Orders two ids numerically; string comparison would put "10" before "9". */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
