import type { Corpus, Source } from '../corpus/corpus.js';
import { namedParagraphs } from '../corpus/pages.js';
import type { JudgedQuotation } from '../checks/judgements.js';
import { placesOf, type SourcePlace } from '../match/judge.js';
import type { NoteCitationItem } from '../note/analyze.js';

export interface SourceSpan {
  source: Source;
  start: number;
  end: number;
}

/** A citation leads to its source at the cited paragraph (or the first one). */
export function citationTarget(corpus: Corpus, item: NoteCitationItem): SourceSpan | undefined {
  const source = corpus.byKey.get(item.key);
  if (!source || source.paragraphs.length === 0) return source ? { source, start: 0, end: 0 } : undefined;
  const named = namedParagraphs(source, item.locator)[0];
  const paragraph = source.paragraphs.find((p) => p.number === named) ?? source.paragraphs[0];
  return { source, start: paragraph.start, end: paragraph.end };
}

/** Where the quotation's words are, preferring a place in the paragraphs its citation names. */
export function preferredPlace(judged: JudgedQuotation): SourcePlace | undefined {
  const { judgement, quotation } = judged;
  const named = (place: SourcePlace): readonly number[] => namedParagraphs(place.source, quotation.citation?.items.find((i) => i.key === place.source.key)?.locator);
  const places = placesOf(judgement);
  return places.find((p) => p.paragraphs.some((n) => named(p).includes(n))) ?? places[0];
}

/** A verified quotation leads to the exact words in the source, preferring the cited paragraph. */
export function quotationTarget(judged: JudgedQuotation): SourceSpan | undefined {
  const place = preferredPlace(judged);
  return place ? { source: place.source, start: place.start, end: place.end } : undefined;
}
