/** Checks the YAML tests share: what no generated file may hold raw, and how a YAML 1.1 reader splits lines. */

/**
 * Characters no generated YAML may hold raw: YAML 1.1 readers (libyaml, Go) end lines at \x85, U+2028
 * and U+2029, refuse DEL, C1 controls, U+FFFE/U+FFFF and C0 controls, and a tab breaks indentation.
 */
export const rawForbidden = /[\x00-\x08\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Surrogate}/u;

/** The text as a YAML 1.1 reader splits it into lines: \x85, U+2028 and U+2029 are line breaks there. */
export function asYaml11Lines(text: string): string {
  return text.replace(/[\x85\u2028\u2029]/g, '\n');
}
