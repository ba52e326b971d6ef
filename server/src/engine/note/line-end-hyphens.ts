import { MappedText } from '../text/mapped-text.js';

/**
 * A quotation copied from a PDF viewer keeps the PDF's line breaks, and with
 * them the hyphens of words broken at a line end (`Tali-` / `ban`). Whether
 * such a hyphen belongs to the word (`well-known`) or only to the line
 * (`Taliban`) only the source can say: the quotation is read both ways, and
 * the reading the source bears out is the one judged.
 */
export type HyphenReading = 'as-written' | 'joined' | 'hyphenated';

/**
 * A hyphen (or the hyphen and soft hyphen PDFs use) after a letter, then a
 * line break, then a letter. Soft hyphens a PDF keeps inside words may stand
 * next to it. Not global: a global pattern carries its position between uses.
 */
const LINE_END_HYPHEN = String.raw`(?<=\p{L})(\u00AD*)([-\u2010\u00AD])\u00AD*[^\S\n]*\n\s*(?=\p{L})`;

export function hasLineEndHyphen(prose: MappedText): boolean {
  return new RegExp(LINE_END_HYPHEN, 'u').test(prose.text);
}

/**
 * The quotation's words in one reading, still mapped to the note: `joined`
 * leaves out each line-end hyphen and the break after it, `hyphenated` keeps
 * the hyphen and leaves out the break.
 */
export function readLineEndHyphens(prose: MappedText, reading: HyphenReading): MappedText {
  if (reading === 'as-written') return prose;
  const kept: MappedText[] = [];
  let from = 0;
  for (const match of prose.text.matchAll(new RegExp(LINE_END_HYPHEN, 'gu'))) {
    const at = match.index;
    kept.push(prose.slice(from, at));
    const hyphen = at + match[1].length;
    if (reading === 'hyphenated' && match[2] !== '\u00AD') kept.push(prose.slice(hyphen, hyphen + 1));
    from = at + match[0].length;
  }
  kept.push(prose.slice(from, prose.length));
  return MappedText.concat(kept, '');
}
