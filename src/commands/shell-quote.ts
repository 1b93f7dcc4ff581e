/** Quotes one argument for `/bin/sh` so it reaches the program as one word, unchanged. */
export function quoteForShell(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
