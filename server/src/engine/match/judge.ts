import type { Corpus, Source } from '../corpus/corpus.js';
import type { IndexedSource } from '../corpus/index.js';
import { findNear, type NearMatch, type WordChange } from './approximate.js';
import { findOccurrences, occurrenceEnd, occurrenceStart, type Occurrence } from './find.js';
import { quotationPattern, type PatternToken, type QuotationPattern } from './pattern.js';

/**
 * What a quotation is, compared with the corpus:
 * - `verbatim`: equal to the cited source after typographic normalisation;
 * - `convention`: equal once scholarly conventions (ellipses, brackets) are read;
 * - `changed`: close to the cited source, with word changes;
 * - `other-source`: equal (1 or 2) to a source it does not cite;
 * - `other-source-changed`: close only to a source it does not cite;
 * - `not-found`: in no source;
 * - `found` / `unfound`: an uncited quotation that is / is not in the corpus.
 */
export type VerdictKind = 'verbatim' | 'convention' | 'changed' | 'other-source' | 'other-source-changed' | 'not-found' | 'found' | 'unfound';

/** Where in a source the quotation's words are. */
export interface SourcePlace {
  readonly source: Source;
  /** 1-based paragraph numbers the words span. */
  readonly paragraphs: readonly number[];
  /** Offsets in the source file. */
  readonly start: number;
  readonly end: number;
}

export interface Judgement {
  readonly verdict: VerdictKind;
  readonly wordCount: number;
  /** Every place the words occur in the cited sources (verbatim/convention), or the one place found elsewhere. */
  readonly places: readonly SourcePlace[];
  /** For near matches: the word changes, in the quotation's and the source's own words. */
  readonly changes?: readonly WordChange[];
  readonly similarity?: number;
  /** The source's exact wording for the quotation's span (near matches). */
  readonly expected?: string;
  /** For `not-found`: the nearest weak candidate, if any. */
  readonly nearest?: SourcePlace;
  readonly pattern: QuotationPattern;
}

const WEAK_SIMILARITY = 0.34;

function sourceOf(corpus: Corpus, indexed: IndexedSource): Source {
  return corpus.sources[indexed.ordinal];
}

function place(corpus: Corpus, indexed: IndexedSource, startToken: number, endToken: number): SourcePlace {
  const source = sourceOf(corpus, indexed);
  const first = indexed.paragraphIndexOf(startToken);
  const last = indexed.paragraphIndexOf(Math.max(startToken, endToken - 1));
  const paragraphs: number[] = [];
  for (let p = first; p <= last; p++) paragraphs.push(source.paragraphs[p].number);
  return { source, paragraphs, start: indexed.starts[startToken], end: indexed.ends[endToken - 1] };
}

function occurrencePlace(corpus: Corpus, o: Occurrence): SourcePlace {
  return place(corpus, o.source, occurrenceStart(o), occurrenceEnd(o));
}

function nearPlace(corpus: Corpus, near: NearMatch): SourcePlace {
  return place(corpus, near.source, near.start, near.end);
}

/** Finds the quotation exactly (typographic equality), then by the scholarly conventions. */
function findEqual(corpus: Corpus, pattern: QuotationPattern, accept: (s: IndexedSource) => boolean): { verdict: 'verbatim' | 'convention'; occurrences: Occurrence[] } | undefined {
  const literal = findOccurrences(corpus.index, [pattern.literal], { accept });
  if (literal.length > 0) return { verdict: 'verbatim', occurrences: literal };
  if (pattern.conventional) {
    const conventional = findOccurrences(corpus.index, pattern.conventional, { accept });
    if (conventional.length > 0) return { verdict: 'convention', occurrences: conventional };
  }
  return undefined;
}

/** The tokens to align approximately: the conventional reading when there is one (brackets and marks removed). */
function approximateTokens(pattern: QuotationPattern): PatternToken[] {
  if (!pattern.conventional) return pattern.literal;
  return pattern.conventional.flat().filter((e): e is PatternToken => e.kind === 'token');
}

/**
 * Judges a quotation against its cited sources (`citedKeys`), then against the
 * whole corpus. `citedKeys` undefined means the quotation carries no citation.
 */
export function judgeQuotation(corpus: Corpus, text: string, citedKeys: readonly string[] | undefined): Judgement {
  const pattern = quotationPattern(text);
  const wordCount = pattern.wordCount;
  const base = { wordCount, pattern };

  if (citedKeys === undefined) {
    const found = findEqual(corpus, pattern, () => true);
    if (found) return { ...base, verdict: 'found', places: found.occurrences.map((o) => occurrencePlace(corpus, o)) };
    return { ...base, verdict: 'unfound', places: [] };
  }

  const cited = new Set(citedKeys.map((k) => corpus.byKey.get(k)?.indexed).filter((s): s is IndexedSource => s !== undefined));
  const inCited = (s: IndexedSource): boolean => cited.has(s);
  const elsewhere = (s: IndexedSource): boolean => !cited.has(s);

  const equal = findEqual(corpus, pattern, inCited);
  if (equal) return { ...base, verdict: equal.verdict, places: equal.occurrences.map((o) => occurrencePlace(corpus, o)) };

  const other = findEqual(corpus, pattern, elsewhere);
  if (other) return { ...base, verdict: 'other-source', places: other.occurrences.slice(0, 1).map((o) => occurrencePlace(corpus, o)) };

  const tokens = approximateTokens(pattern);
  const near = findNear(corpus.index, tokens, text, { accept: inCited });
  if (near) {
    const where = nearPlace(corpus, near);
    return {
      ...base,
      verdict: 'changed',
      places: [where],
      changes: near.changes,
      similarity: near.similarity,
      expected: where.source.text.slice(where.start, where.end).replace(/\s+/gu, ' '),
    };
  }
  const nearOther = findNear(corpus.index, tokens, text, { accept: elsewhere });
  if (nearOther) {
    const where = nearPlace(corpus, nearOther);
    return {
      ...base,
      verdict: 'other-source-changed',
      places: [where],
      changes: nearOther.changes,
      similarity: nearOther.similarity,
      expected: where.source.text.slice(where.start, where.end).replace(/\s+/gu, ' '),
    };
  }
  const weak = findNear(corpus.index, tokens, text, { minSimilarity: WEAK_SIMILARITY });
  return { ...base, verdict: 'not-found', places: [], nearest: weak ? nearPlace(corpus, weak) : undefined };
}
