/** A LIKE pattern that finds `term` anywhere in a lower-cased text, its own `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
