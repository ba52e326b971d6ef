/**
 * The `file` field of a Zotero or Better BibTeX entry: the attachments that
 * hold the entry's text. Better BibTeX writes paths separated by `;`
 * (`files/a.pdf;files/a.html`); Zotero's own export writes
 * `description:path:mime-type` triples (`Full Text PDF:files/12/a.pdf:application/pdf`),
 * escaping `:`, `;` and `\` in paths with a backslash.
 */

/** Splits at `separator` where it is not backslash-escaped. */
function splitUnescaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const unescape = (path: string): string => path.replace(/\\([\\:;])/gu, '$1');

/** A MIME type as Zotero writes it at the end of a triple. */
const MIME = /^[a-z]+\/[\w.+-]+$/iu;

/** The attachment paths in a `file` field, in the order written. */
export function attachmentPaths(field: string): string[] {
  const paths: string[] = [];
  for (const part of splitUnescaped(field, ';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const pieces = splitUnescaped(trimmed, ':');
    // `description:path:mime` (the description may be empty); a bare path otherwise.
    const path = pieces.length >= 3 && MIME.test(pieces[pieces.length - 1]) ? pieces.slice(1, -1).join(':') : trimmed;
    if (path.trim() !== '') paths.push(unescape(path.trim()));
  }
  return paths;
}

/** Which attachment holds an entry's text when it has several: the PDF, then a saved page, then the rest. */
const PREFERENCE = [/\.pdf$/iu, /\.html?$/iu, /\.docx$/iu, /\.(txt|md|markdown)$/iu];

/** The attachments Verbatim can read, most preferred first (in written order within a kind). */
export function readableAttachments<T extends { path: string }>(attachments: readonly T[]): T[] {
  const rank = (path: string): number => PREFERENCE.findIndex((pattern) => pattern.test(path));
  return attachments
    .map((attachment, order) => ({ attachment, order, rank: rank(attachment.path) }))
    .filter((a) => a.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((a) => a.attachment);
}
