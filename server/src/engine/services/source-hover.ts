import type { VerdictKind } from '../match/judge.js';
import { escapeMarkdown } from './markdown.js';
import type { SourceQuotation } from './source-uses.js';

/** The verdict as a reader of the source needs it: whether the note keeps these words. */
function verdictWords(verdict: VerdictKind): string {
  switch (verdict) {
    case 'verbatim':
      return 'verbatim';
    case 'convention':
      return 'verbatim, altered by convention';
    case 'changed':
      return 'changed';
    case 'other-source':
      return 'verbatim, but cites another source';
    case 'other-source-changed':
      return 'changed, and cites another source';
    case 'found':
      return 'verbatim, uncited';
    case 'not-found':
    case 'unfound':
      return 'not found';
  }
}

const WORDS_SHOWN = 80;

/** How a hover names a note and links to the quotation in it (a URI the editor opens at that line). */
export interface NoteLink {
  readonly name: string;
  readonly target: string;
}

/**
 * The hover on a quoted span of a source: each quotation of it, with its
 * note, line and verdict, linked to the quotation in the note. The note's
 * words are escaped: nothing a note holds becomes a live link.
 */
export function sourceQuotationsHover(quotations: readonly SourceQuotation[], link: (quotation: SourceQuotation) => NoteLink): string {
  const notes = new Set(quotations.map((q) => q.note)).size;
  const heading = `**Quoted in ${notes} ${notes === 1 ? 'note' : 'notes'}**`;
  const items = quotations.map((q) => {
    const { name, target } = link(q);
    const line = q.noteRange.start.line + 1;
    const words = q.words.length > WORDS_SHOWN ? `${q.words.slice(0, WORDS_SHOWN).replace(/\s+\S*$/u, '')}…` : q.words;
    // The target is the server's own URI, put between angle brackets so that spaces in a path need no escaping.
    return `- [${escapeMarkdown(name)}, line ${line}](<${target.replace(/[<>]/gu, encodeURIComponent)}>) — ${verdictWords(q.verdict)}: “${escapeMarkdown(words)}”`;
  });
  return [heading, '', ...items].join('\n');
}
