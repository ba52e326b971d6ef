import type { NoteCitation } from '../note/analyze.js';
import type { SourcePlace } from '../match/judge.js';
import { MAX_BRACKET_WORDS } from '../match/pattern.js';
import { describePages, pagesOfSpan } from '../corpus/pages.js';

/** The pages a place stands on, for a source with pages (a PDF): `p. 19`, `pp. 19–20`. */
function pagesText(place: SourcePlace): string | undefined {
  if (!place.source.pages) return undefined;
  const pages = pagesOfSpan(place.source, place.start, place.end);
  return pages.length > 0 ? describePages(place.source, pages) : undefined;
}

/** `korybko2021 ¶ 10`, `korybko2021 ¶¶ 3–4`; in a PDF with its page, `zochowski2021 ¶ 17 (p. 19)`. */
export function describePlace(place: SourcePlace): string {
  const [first] = place.paragraphs;
  const last = place.paragraphs[place.paragraphs.length - 1];
  const pages = pagesText(place);
  return `${place.source.key} ${first === last ? `¶ ${first}` : `¶¶ ${first}–${last}`}${pages ? ` (${pages})` : ''}`;
}

/** The locator that names a place: its pages in a PDF (as it is cited), its paragraphs elsewhere. */
export function locatorText(place: SourcePlace): string {
  const pages = pagesText(place);
  if (pages) return pages;
  const [first] = place.paragraphs;
  const last = place.paragraphs[place.paragraphs.length - 1];
  return first === last ? `¶ ${first}` : `¶¶ ${first}–${last}`;
}

/** The citation that points at `place`, in the same form (bracketed or narrative) as `original`. */
export function citationFor(place: SourcePlace, original: NoteCitation | undefined): string {
  if (original?.kind === 'narrative') return `@${place.source.key} [${locatorText(place)}]`;
  return `[@${place.source.key}, ${locatorText(place)}]`;
}

export function quoteSnippet(text: string, max = 60): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function keysOf(citation: NoteCitation): string {
  const keys = citation.items.map((i) => i.key);
  if (keys.length === 1) return keys[0];
  return `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}`;
}

export interface ChangeText {
  /** `bracket`: the quotation's `[…]` stands in for source words a bracket may not replace. */
  kind?: 'words' | 'bracket';
  source: string;
  quotation: string;
  sourceWords?: number;
}

function describeChange(change: ChangeText): string {
  const source = quoteSnippet(change.source, 80);
  const quotation = quoteSnippet(change.quotation, 80);
  if (change.kind === 'bracket') {
    if ((change.sourceWords ?? 0) > MAX_BRACKET_WORDS) {
      return `"${quotation}" stands in for ${change.sourceWords} source words ("${source}"); a bracket may replace at most ${MAX_BRACKET_WORDS}`;
    }
    return `"${quotation}" stands in for "${source}", which names nothing a bracket could name (a bracket replaces a pronoun, a name or a short phrase naming one)`;
  }
  if (quotation === '') return `source also has "${source}"`;
  if (source === '') return `source does not have "${quotation}"`;
  return `source has "${source}", not "${quotation}"`;
}

/** `source has "ISIS", not "terrorism"; source also has "…"` (at most three, then a count). */
export function describeChanges(changes: readonly ChangeText[]): string {
  const shown = changes.slice(0, 3).map(describeChange).join('; ');
  return changes.length > 3 ? `${shown}; and ${changes.length - 3} more ${changes.length === 4 ? 'change' : 'changes'}` : shown;
}
