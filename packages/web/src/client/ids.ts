/**
 * Ids are decimal strings that may exceed 2^53, so they are compared as BigInt,
 * never as numbers and never as strings ("9" > "10" as strings).
 */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isGreater(a: string, b: string): boolean {
  return compareIds(a, b) > 0;
}

export function maxId(a: string, b: string): string {
  return isGreater(a, b) ? a : b;
}

export function isId(value: string): boolean {
  return /^\d{1,30}$/.test(value);
}
