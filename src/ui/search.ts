/** Text matching for search (`/`) and filter (`f`): a literal substring, smart case. */

export interface Matcher {
  readonly query: string;
  /** Whether the plain (ANSI-free) text contains the query. */
  test(plain: string): boolean;
  /** Every non-overlapping match as [start, end) indexes into the plain text. */
  ranges(plain: string): Array<[number, number]>;
}

/**
 * Builds a matcher. Smart case, as in less and vim: a query with no capital
 * letter ignores case; one with a capital letter matches case exactly.
 */
export function compileMatcher(query: string): Matcher {
  const isCaseSensitive = query !== query.toLowerCase();
  const needle = isCaseSensitive ? query : query.toLowerCase();
  const fold = (text: string): string => (isCaseSensitive ? text : text.toLowerCase());
  return {
    query,
    test: (plain) => needle.length > 0 && fold(plain).includes(needle),
    ranges(plain) {
      const out: Array<[number, number]> = [];
      if (needle.length === 0) return out;
      const hay = fold(plain);
      // toLowerCase can change lengths for a few scripts; indexes are only
      // trusted when it did not, otherwise matches are reported but not placed.
      if (hay.length !== plain.length) return out;
      for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
        out.push([at, at + needle.length]);
      }
      return out;
    },
  };
}
