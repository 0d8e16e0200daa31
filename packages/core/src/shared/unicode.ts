/** Half of a surrogate pair without the other half: JSON can carry it, UTF-8 cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `text` holds a lone surrogate. Anything that becomes UTF-8 (a
 * store, a hash's input) turns each one into U+FFFD, so two different strings
 * would come out as one.
 */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
