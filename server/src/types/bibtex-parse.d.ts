// bibtex-parse ships no types; these are the parts Verbatim uses.
declare module 'bibtex-parse' {
  /** One entry: its citation key, its type, and its fields in upper case (`TITLE`, `AUTHOR`, …). */
  export interface BibtexEntry {
    key: string;
    type: string;
    [field: string]: string | number | undefined;
  }
  export interface BibtexSyntaxError extends Error {
    location?: { start: { offset: number; line: number; column: number } };
  }
  export function entries(text: string): BibtexEntry[];
  const bibtex: { entries: typeof entries };
  export default bibtex;
}
