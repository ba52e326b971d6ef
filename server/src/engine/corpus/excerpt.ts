/**
 * A stretch of a source file as a reader sees it: white space folded, and in a
 * markdown source the markup dropped (line-start markers, code and emphasis
 * marks, link destinations), so messages and repairs carry the author's words,
 * not `- ` or backticks.
 */
export function excerpt(text: string, start: number, end: number, markdown: boolean): string {
  let slice = text.slice(start, end);
  if (markdown) {
    slice = slice
      .replace(/(^|\n)[ \t]{0,3}(?:>[ \t]?)*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+)?/gu, '$1')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/gu, '$1')
      .replace(/`+/gu, '')
      .replace(/(\*\*|__|\*|_)(?=\S)([^*_]*?\S)\1/gu, '$2');
  }
  return slice.replace(/\s+/gu, ' ');
}
