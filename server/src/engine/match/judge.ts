import type { Corpus, Source } from '../corpus/corpus.js';
import { excerpt } from '../corpus/excerpt.js';
import type { SourceTokens } from '../corpus/store.js';
import { AlignWorkspace } from './align.js';
import { CandidateRanking, findNear, type Bracket, type NearMatch, type NearQuery, type WordChange } from './approximate.js';
import { findOccurrences, occurrenceEnd, occurrenceStart, type Occurrence } from './find.js';
import { quotationPattern, type PatternPiece, type PatternToken, type QuotationPattern } from './pattern.js';

/** Where in a source the quotation's words are. */
export interface SourcePlace {
  readonly source: Source;
  /** 1-based paragraph numbers the words span. */
  readonly paragraphs: readonly number[];
  /** Offsets in the source file. */
  readonly start: number;
  readonly end: number;
  /** For a match by the conventions: what each ellipsis leaves out and each bracket stands in for, in order. */
  readonly edits?: readonly ConventionEdit[];
}

/** Source words the conventional reading lets the writer leave out (an ellipsis) or replace (a bracket). */
export interface ConventionEdit {
  readonly kind: 'omission' | 'bracket';
  /** The source words' offsets in the file; empty (start = end) where there are none. */
  readonly start: number;
  readonly end: number;
  /** Whether a paragraph break lies among them (an ellipsis may reach into the next paragraph). */
  readonly acrossParagraphs: boolean;
  /** The last source word before the edit and the first after it, as file offsets, for context. */
  readonly before: { start: number; end: number };
  readonly after: { start: number; end: number };
  /** Index of the pattern piece before an omission, or of the bracket among the pattern's gaps. */
  readonly index: number;
}

/** One stretch of a quotation between its ellipses, looked up on its own. */
export interface PieceReport {
  readonly text: string;
  /** Where it is in the cited sources. */
  readonly cited: readonly SourcePlace[];
  /** Where it is elsewhere, when not in the cited sources. */
  readonly elsewhere?: SourcePlace;
}

interface Judged {
  readonly wordCount: number;
  readonly pattern: QuotationPattern;
}

/** A near match: the one place the words nearly are, and how they differ. */
interface NearlyFound extends Judged {
  readonly place: SourcePlace;
  /** The word changes, in the quotation's and the source's own words. */
  readonly changes: readonly WordChange[];
  /** Shared words over the longer side's word count. */
  readonly similarity: number;
  /** The source's exact wording for the quotation's span. */
  readonly expected: string;
}

/**
 * What a quotation is, compared with the corpus. Each verdict carries what it
 * means and nothing else, so a consumer reads a field only where it exists.
 */
export type Judgement =
  /** Equal to the cited source after typographic normalisation, at every one of `places`. */
  | (Judged & { readonly verdict: 'verbatim'; readonly places: readonly SourcePlace[] })
  /** Equal once scholarly conventions (ellipses, brackets) are read, at every one of `places`. */
  | (Judged & { readonly verdict: 'convention'; readonly places: readonly SourcePlace[] })
  /** Close to the cited source, with word changes. */
  | (NearlyFound & { readonly verdict: 'changed' })
  /** Equal (verbatim or by convention) to a source it does not cite: the places in the first such source. */
  | (Judged & { readonly verdict: 'other-source'; readonly places: readonly SourcePlace[] })
  /** Close only to a source it does not cite. */
  | (NearlyFound & { readonly verdict: 'other-source-changed' })
  /**
   * In no source. `pieces`: with omissions marked, where each stretch between them is on its own;
   * `nearest`: the nearest weak candidate, if any.
   */
  | (Judged & { readonly verdict: 'not-found'; readonly pieces?: readonly PieceReport[]; readonly nearest?: SourcePlace })
  /** An uncited quotation whose words are in the corpus, at `places`. */
  | (Judged & { readonly verdict: 'found'; readonly places: readonly SourcePlace[] })
  /** An uncited quotation in no source. */
  | (Judged & { readonly verdict: 'unfound' });

export type VerdictKind = Judgement['verdict'];

/** The judgement of one verdict (or several), for code that handles only those. */
export type JudgementOf<V extends VerdictKind> = Extract<Judgement, { verdict: V }>;

/** Every place the quotation's words are (or nearly are): where a reader is sent to look. */
export function placesOf(judgement: Judgement): readonly SourcePlace[] {
  switch (judgement.verdict) {
    case 'verbatim':
    case 'convention':
    case 'other-source':
    case 'found':
      return judgement.places;
    case 'changed':
    case 'other-source-changed':
      return [judgement.place];
    case 'not-found':
    case 'unfound':
      return [];
  }
}

/** How much of the quotation is the source's words: 1 for an equal match, 0 for none. */
export function similarityOf(judgement: Judgement): number {
  switch (judgement.verdict) {
    case 'verbatim':
    case 'convention':
    case 'other-source':
    case 'found':
      return 1;
    case 'changed':
    case 'other-source-changed':
      return judgement.similarity;
    case 'not-found':
    case 'unfound':
      return 0;
  }
}

/** Whether the words are the cited source's, as written or by the conventions. */
export function isVerified(judgement: Judgement): judgement is JudgementOf<'verbatim' | 'convention'> {
  return judgement.verdict === 'verbatim' || judgement.verdict === 'convention';
}

const WEAK_SIMILARITY = 0.34;

function sourceOf(corpus: Corpus, indexed: SourceTokens): Source {
  return corpus.sources[indexed.ordinal];
}

function place(corpus: Corpus, indexed: SourceTokens, startToken: number, endToken: number): SourcePlace {
  const source = sourceOf(corpus, indexed);
  const first = indexed.paragraphIndexOf(startToken);
  const last = indexed.paragraphIndexOf(Math.max(startToken, endToken - 1));
  const paragraphs: number[] = [];
  for (let p = first; p <= last; p++) paragraphs.push(p + 1);
  // Offsets in the file cost a re-read of the paragraph: computed only when something shows the place.
  let offsets: [number, number] | undefined;
  const resolve = (): [number, number] => (offsets ??= [indexed.tokenStart(startToken), indexed.tokenEnd(endToken - 1)]);
  return {
    source,
    paragraphs,
    get start() {
      return resolve()[0];
    },
    get end() {
      return resolve()[1];
    },
  };
}

function occurrencePlace(corpus: Corpus, o: Occurrence): SourcePlace {
  const where = place(corpus, o.source, occurrenceStart(o), occurrenceEnd(o));
  if (o.spans.length === 1 && !o.brackets) return where;
  // Offsets cost a re-read of the paragraph, as above: the edits are resolved when a check reads them.
  let edits: ConventionEdit[] | undefined;
  return {
    source: where.source,
    paragraphs: where.paragraphs,
    get start() {
      return where.start;
    },
    get end() {
      return where.end;
    },
    get edits() {
      return (edits ??= conventionEdits(o));
    },
  };
}

/** Source tokens `[start, end)` between token `start - 1` and token `end`, as a convention edit. */
function edit(indexed: SourceTokens, kind: ConventionEdit['kind'], index: number, start: number, end: number): ConventionEdit {
  const empty = start >= end;
  const at = start > 0 ? indexed.tokenEnd(start - 1) : indexed.tokenStart(start);
  return {
    kind,
    index,
    start: empty ? at : indexed.tokenStart(start),
    end: empty ? at : indexed.tokenEnd(end - 1),
    acrossParagraphs: start > 0 && indexed.paragraphIndexOf(start - 1) !== indexed.paragraphIndexOf(end),
    before: start > 0 ? { start: indexed.tokenStart(start - 1), end: indexed.tokenEnd(start - 1) } : { start: at, end: at },
    after: { start: indexed.tokenStart(end), end: indexed.tokenEnd(end) },
  };
}

function conventionEdits(o: Occurrence): ConventionEdit[] {
  const edits: ConventionEdit[] = [];
  for (let p = 0; p + 1 < o.spans.length; p++) edits.push(edit(o.source, 'omission', p, o.spans[p].end, o.spans[p + 1].start));
  (o.brackets ?? []).forEach((b, i) => edits.push(edit(o.source, 'bracket', i, b.start, b.end)));
  return edits;
}

function nearPlace(corpus: Corpus, near: NearMatch): SourcePlace {
  return place(corpus, near.source, near.start, near.end);
}

/**
 * Finds the quotation exactly (typographic equality), then by the scholarly
 * conventions: within the cited sources (`corpusWide` false: what it reads is
 * the keys looked up), or in the whole corpus, where only a source holding
 * every word of a pattern can hold it.
 */
function findEqual(corpus: Corpus, pattern: QuotationPattern, accept: (s: SourceTokens) => boolean, corpusWide: boolean): { verdict: 'verbatim' | 'convention'; occurrences: Occurrence[] } | undefined {
  const search = (): { verdict: 'verbatim' | 'convention'; occurrences: Occurrence[] } | undefined => {
    const literal = findOccurrences(corpus.index, [pattern.literal], { accept });
    if (literal.length > 0) return { verdict: 'verbatim', occurrences: literal };
    if (pattern.conventional) {
      const conventional = findOccurrences(corpus.index, pattern.conventional, { accept });
      if (conventional.length > 0) return { verdict: 'convention', occurrences: conventional };
    }
    return undefined;
  };
  if (!corpus.observer) return search();
  const patterns = corpusWide ? [wordsOf([pattern.literal]), ...(pattern.conventional ? [wordsOf(pattern.conventional)] : [])] : undefined;
  return corpus.observer.exactSearch(patterns, search);
}

/** The distinct words of a pattern's pieces, lower-cased: every source that holds the pattern holds them all. */
function wordsOf(pieces: readonly PatternPiece[]): string[] {
  const words = new Set<string>();
  for (const piece of pieces) for (const element of piece) if (element.kind === 'token' && element.isWord) words.add(element.text.toLowerCase());
  return [...words];
}

/**
 * The quotation as the aligner reads it: the conventional reading when there
 * is one (bracket contents and marks removed), with the places after which it
 * marks an omission or a substitution.
 */
function nearQuery(pattern: QuotationPattern, text: string): NearQuery {
  if (!pattern.conventional) return { tokens: pattern.literal, freeAfter: new Set(), text };
  const tokens: PatternToken[] = [];
  const freeAfter = new Set<number>();
  const brackets = new Map<number, Bracket>();
  const ellipses = new Set<number>();
  pattern.conventional.forEach((piece, p) => {
    if (p > 0 && tokens.length > 0) {
      freeAfter.add(tokens.length - 1);
      ellipses.add(tokens.length - 1);
    }
    for (const element of piece) {
      if (element.kind === 'token') {
        tokens.push(element);
        continue;
      }
      const after = tokens.length - 1;
      freeAfter.add(after);
      const previous = brackets.get(after);
      brackets.set(after, previous ? { start: previous.start, end: element.end, count: previous.count + 1 } : { start: element.start, end: element.end, count: 1 });
    }
  });
  // Where an ellipsis marks the place too, any number of words may be left out there.
  for (const after of ellipses) brackets.delete(after);
  return { tokens, freeAfter, brackets, text };
}

/**
 * Judges a quotation against its cited sources (`citedKeys`), then against the
 * whole corpus. `citedKeys` undefined means the quotation carries no citation.
 * Near matches are aligned in `workspace`: a caller that judges many
 * quotations passes one it keeps, so the aligner's tables are allocated once.
 */
export function judgeQuotation(corpus: Corpus, text: string, citedKeys: readonly string[] | undefined, workspace = new AlignWorkspace()): Judgement {
  const pattern = quotationPattern(text);
  const wordCount = pattern.wordCount;
  const base = { wordCount, pattern };

  if (citedKeys === undefined) {
    const found = findEqual(corpus, pattern, () => true, true);
    if (found) return { ...base, verdict: 'found', places: found.occurrences.map((o) => occurrencePlace(corpus, o)) };
    return { ...base, verdict: 'unfound' };
  }

  const cited = new Set(citedKeys.map((k) => corpus.byKey.get(k)?.indexed).filter((s): s is SourceTokens => s !== undefined));
  const inCited = (s: SourceTokens): boolean => cited.has(s);
  const elsewhere = (s: SourceTokens): boolean => !cited.has(s);

  const equal = findEqual(corpus, pattern, inCited, false);
  if (equal) return { ...base, verdict: equal.verdict, places: equal.occurrences.map((o) => occurrencePlace(corpus, o)) };

  const other = findEqual(corpus, pattern, elsewhere, true);
  if (other) {
    // Every place in the first source that has the words (a passage may recur).
    const first = other.occurrences[0].source;
    const places = other.occurrences.filter((o) => o.source === first).slice(0, 5).map((o) => occurrencePlace(corpus, o));
    return { ...base, verdict: 'other-source', places };
  }

  const query = nearQuery(pattern, text);
  const near = findNear(corpus.index, query, { workspace, accept: inCited });
  if (near) {
    const where = nearPlace(corpus, near);
    return {
      ...base,
      verdict: 'changed',
      place: where,
      changes: near.changes,
      similarity: near.similarity,
      expected: excerpt(where.source.text, where.start, where.end, where.source.format === 'markdown'),
    };
  }
  // Scored once over every source for the two lookups left (the cited sources' scoring above reads only theirs).
  const ranking = new CandidateRanking();
  const nearOther = findNear(corpus.index, query, { workspace, accept: elsewhere, ranking });
  if (nearOther) {
    const where = nearPlace(corpus, nearOther);
    return {
      ...base,
      verdict: 'other-source-changed',
      place: where,
      changes: nearOther.changes,
      similarity: nearOther.similarity,
      expected: excerpt(where.source.text, where.start, where.end, where.source.format === 'markdown'),
    };
  }
  const weak = findNear(corpus.index, query, { workspace, minSimilarity: WEAK_SIMILARITY, ranking });
  const pieces = pattern.conventional && pattern.conventional.length > 1 ? pieceReports(corpus, pattern.conventional, text, inCited) : undefined;
  return { ...base, verdict: 'not-found', pieces, nearest: weak ? nearPlace(corpus, weak) : undefined };
}

/** Looks up each stretch between the quotation's ellipses on its own, to say which part is wrong. */
function pieceReports(corpus: Corpus, pieces: readonly PatternPiece[], text: string, inCited: (s: SourceTokens) => boolean): PieceReport[] {
  return pieces.map((piece) => {
    const tokens = piece.filter((e): e is PatternToken => e.kind === 'token');
    const pieceText = text.slice(tokens[0].start, tokens[tokens.length - 1].end);
    const cited = findOccurrences(corpus.index, [piece], { accept: inCited, limit: 5 }).map((o) => occurrencePlace(corpus, o));
    if (cited.length > 0) return { text: pieceText, cited };
    const other = findOccurrences(corpus.index, [piece], { accept: (s) => !inCited(s), limit: 1 })[0];
    return { text: pieceText, cited, elsewhere: other ? occurrencePlace(corpus, other) : undefined };
  });
}
