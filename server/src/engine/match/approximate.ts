import search from 'approx-string-match';
import { diffArrays } from 'diff';
import type { CorpusIndex, IndexedSource } from '../corpus/index.js';
import { flipFirstLetterCase, TokenKind } from '../text/tokens.js';
import type { PatternToken } from './pattern.js';

/** One difference between the quotation and the source, in their own words. */
export interface WordChange {
  /** What the source has here ('' when the quotation adds words). */
  readonly source: string;
  /** What the quotation has here ('' when it leaves source words out). */
  readonly quotation: string;
  /**
   * The stretch a repair swaps, in source-file and quotation-text offsets. For a
   * pure addition or omission it takes in one equal neighbour on both sides, so
   * the swap keeps the white space right.
   */
  readonly sourceStart: number;
  readonly sourceEnd: number;
  readonly quotationStart: number;
  readonly quotationEnd: number;
}

export interface NearMatch {
  readonly source: IndexedSource;
  /** The source tokens the quotation corresponds to. */
  readonly start: number;
  readonly end: number;
  /** Shared words over the longer side's word count (1 = same words). */
  readonly similarity: number;
  readonly changes: WordChange[];
}

export interface NearOptions {
  accept?: (source: IndexedSource) => boolean;
  /** Least similarity to count as "close". */
  minSimilarity?: number;
}

/** How many candidate paragraphs are aligned in full. */
const CANDIDATES = 6;
/** Postings longer than this are too common to say where a quotation comes from. */
const COMMON_WORD = 20000;
const RAREST_WORDS = 12;
const ERROR_RATIO = 0.45;
export const MIN_SIMILARITY = 0.6;

const OTHER_WORD = '\uf8fe';
const OTHER_MARK = '\uf8ff';

/** Scores paragraphs by the rare quotation words they contain (IDF-weighted), best first. */
function candidateParagraphs(index: CorpusIndex, words: readonly PatternToken[], accept?: (s: IndexedSource) => boolean) {
  const vocabulary = index.vocabulary;
  const folded = new Set<number>();
  for (const word of words) {
    const id = vocabulary.lookup(word.text.toLowerCase());
    if (id >= 0) folded.add(vocabulary.folded[id]);
  }
  const byRarity = [...folded]
    .map((id) => ({ id, frequency: index.frequency(id) }))
    .filter((w) => w.frequency > 0 && w.frequency <= COMMON_WORD)
    .sort((a, b) => a.frequency - b.frequency)
    .slice(0, RAREST_WORDS);
  const total = Math.max(1, index.tokenCount);
  const scores = new Map<string, { source: IndexedSource; paragraph: number; score: number; seen: Set<number> }>();
  for (const word of byRarity) {
    const weight = Math.log(1 + total / word.frequency);
    for (const position of index.positions(word.id)) {
      const { source, token } = index.locate(position);
      if (accept && !accept(source)) continue;
      const paragraph = source.paragraphIndexOf(token);
      const key = `${source.ordinal}:${paragraph}`;
      let entry = scores.get(key);
      if (!entry) {
        entry = { source, paragraph, score: 0, seen: new Set() };
        scores.set(key, entry);
      }
      if (!entry.seen.has(word.id)) {
        entry.seen.add(word.id);
        entry.score += weight;
      }
    }
  }
  return [...scores.values()].sort((a, b) => b.score - a.score).slice(0, CANDIDATES);
}

/**
 * Finds where the quotation nearly occurs: candidate paragraphs from the
 * index, then an approximate alignment (Myers' bit-parallel algorithm, via
 * approx-string-match) of the quotation's tokens against each candidate and
 * its neighbours, each distinct token spelled as one character.
 */
export function findNear(index: CorpusIndex, quotation: readonly PatternToken[], quotationText: string, options: NearOptions = {}): NearMatch | undefined {
  const words = quotation.filter((t) => t.isWord);
  if (words.length === 0) return undefined;
  const alphabet = new Map<string, string>();
  const letter = (text: string): string => {
    let ch = alphabet.get(text);
    if (ch === undefined) {
      ch = String.fromCharCode(0xe000 + alphabet.size);
      alphabet.set(text, ch);
    }
    return ch;
  };
  const pattern = quotation.map((t) => letter(t.text)).join('');
  if (quotation[0].caseInsensitive !== 'none' && !alphabet.has(flipFirstLetterCase(quotation[0].text))) {
    alphabet.set(flipFirstLetterCase(quotation[0].text), pattern[0]);
  }
  const maxErrors = Math.max(1, Math.floor(quotation.length * ERROR_RATIO));
  const vocabulary = index.vocabulary;

  let best: { source: IndexedSource; start: number; end: number; errors: number } | undefined;
  for (const candidate of candidateParagraphs(index, words, options.accept)) {
    const { source } = candidate;
    const from = source.paragraphFirstToken[Math.max(0, candidate.paragraph - 1)];
    const to = source.paragraphEndToken(Math.min(source.paragraphs.length - 1, candidate.paragraph + 1));
    let text = '';
    for (let t = from; t < to; t++) {
      const id = source.ids[t];
      text += alphabet.get(vocabulary.texts[id]) ?? (vocabulary.kinds[id] === TokenKind.Word ? OTHER_WORD : OTHER_MARK);
    }
    for (const match of search(text, pattern, maxErrors)) {
      const better = !best || match.errors < best.errors || (match.errors === best.errors && match.end - match.start > best.end - best.start);
      if (better) best = { source, start: from + match.start, end: from + match.end, errors: match.errors };
    }
  }
  if (!best) return undefined;
  best = trimPunctuationEdges(index, best, quotation);
  const { changes, similarity } = compare(index, best.source, best.start, best.end, quotation, quotationText);
  if (similarity < (options.minSimilarity ?? MIN_SIMILARITY)) return undefined;
  return { source: best.source, start: best.start, end: best.end, similarity, changes };
}

/**
 * An alignment may end on a source comma or full stop that the quotation
 * simply does not reach (`…the ANDSF,` for `…the Afghan army`): punctuation at
 * the span's edges that the quotation's own edge does not have is not part of
 * the quoted stretch.
 */
function trimPunctuationEdges<T extends { source: IndexedSource; start: number; end: number }>(index: CorpusIndex, span: T, quotation: readonly PatternToken[]): T {
  const kinds = index.vocabulary.kinds;
  const ids = span.source.ids;
  let { start, end } = span;
  if (quotation[quotation.length - 1].isWord) while (end - 1 > start && kinds[ids[end - 1]] !== TokenKind.Word) end--;
  if (quotation[0].isWord) while (start < end - 1 && kinds[ids[start]] !== TokenKind.Word) start++;
  return { ...span, start, end };
}

/** Word-by-word differences between the source span and the quotation (jsdiff's array diff). */
function compare(
  index: CorpusIndex,
  source: IndexedSource,
  start: number,
  end: number,
  quotation: readonly PatternToken[],
  quotationText: string,
): { changes: WordChange[]; similarity: number } {
  const vocabulary = index.vocabulary;
  const sourceTokens = Array.from({ length: end - start }, (_, i) => start + i);
  const quoteTokens = quotation.map((_, i) => i);
  const same = (t: number, q: number): boolean => {
    const text = vocabulary.texts[source.ids[t]];
    const quoted = quotation[q];
    return text === quoted.text || (quoted.caseInsensitive !== 'none' && text.toLowerCase() === quoted.text.toLowerCase());
  };
  // jsdiff compares old (source) and new (quotation) items through one comparator; tag which side each is from.
  type Item = { side: 'source' | 'quotation'; at: number };
  const parts = diffArrays<Item>(
    sourceTokens.map((at) => ({ side: 'source', at })),
    quoteTokens.map((at) => ({ side: 'quotation', at })),
    { comparator: (a, b) => (a.side === 'source' ? same(a.at, b.at) : same(b.at, a.at)) },
  );
  const changes: WordChange[] = [];
  let sharedWords = 0;
  let s = start;
  let q = 0;
  let pending: { s0: number; s1: number; q0: number; q1: number } | undefined;
  const sourceSlice = (from: number, to: number): string => (from < to ? source.text.slice(source.starts[from], source.ends[to - 1]).replace(/\s+/g, ' ') : '');
  const quoteSlice = (from: number, to: number): string =>
    from < to ? quotationText.slice(quotation[from].start, quotation[to - 1].end).replace(/\s+/g, ' ') : '';
  const flush = (): void => {
    if (!pending) return;
    const { s0, s1, q0, q1 } = pending;
    let [r0, r1, p0, p1] = [s0, s1, q0, q1];
    if (s0 === s1 || q0 === q1) {
      if (s0 > start && q0 > 0) {
        r0--;
        p0--;
      } else if (s1 < end && q1 < quotation.length) {
        r1++;
        p1++;
      }
    }
    changes.push({
      source: sourceSlice(s0, s1),
      quotation: quoteSlice(q0, q1),
      sourceStart: r0 < r1 ? source.starts[r0] : source.starts[Math.min(r0, source.starts.length - 1)],
      sourceEnd: r0 < r1 ? source.ends[r1 - 1] : source.starts[Math.min(r0, source.starts.length - 1)],
      quotationStart: p0 < p1 ? quotation[p0].start : quotation[Math.min(p0, quotation.length - 1)].start,
      quotationEnd: p0 < p1 ? quotation[p1 - 1].end : quotation[Math.min(p0, quotation.length - 1)].start,
    });
    pending = undefined;
  };
  for (const part of parts) {
    const n = part.value.length;
    if (part.removed) {
      pending = pending ?? { s0: s, s1: s, q0: q, q1: q };
      pending.s1 = s + n;
      s += n;
    } else if (part.added) {
      pending = pending ?? { s0: s, s1: s, q0: q, q1: q };
      pending.q1 = q + n;
      q += n;
    } else {
      flush();
      for (let k = 0; k < n; k++) if (quotation[q + k].isWord) sharedWords++;
      s += n;
      q += n;
    }
  }
  flush();
  const quoteWords = quotation.filter((t) => t.isWord).length;
  let sourceWords = 0;
  for (let t = start; t < end; t++) if (vocabulary.kinds[source.ids[t]] === TokenKind.Word) sourceWords++;
  const similarity = sharedWords / Math.max(1, quoteWords, sourceWords);
  return { changes, similarity };
}
