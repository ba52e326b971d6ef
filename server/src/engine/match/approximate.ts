import { align, type AlignOp, type AlignWorkspace } from './align.js';
import type { CandidateIndex, SourceTokens, TokenVocabulary } from '../corpus/store.js';
import { TokenKind } from '../text/tokens.js';
import { bracketWords, MAX_BRACKET_WORDS, plausibleReplacement, type PatternToken } from './pattern.js';
import { gallopAtOrBelow } from './postings.js';

/** One difference between the quotation and the source, in their own words. */
export interface WordChange {
  /**
   * `words`: words replaced, added or left out; `bracket`: the quotation's `[…]` stands in for source words a
   * bracket may not replace — more than a few, or words that name nothing (`quotation` is the bracket, `source`
   * the words it stands in for).
   */
  readonly kind: 'words' | 'bracket';
  /** What the source has here ('' when the quotation adds words). */
  readonly source: string;
  /** What the quotation has here ('' when it leaves source words out). */
  readonly quotation: string;
  /** How many words each side of the difference has (marks not counted): how much a repair brings in and takes out. */
  readonly sourceWords: number;
  readonly quotationWords: number;
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
  readonly source: SourceTokens;
  /** The source tokens the quotation corresponds to. */
  readonly start: number;
  readonly end: number;
  /** Shared words over the longer side's word count (1 = same words). */
  readonly similarity: number;
  readonly changes: WordChange[];
}

export interface NearOptions {
  /** The aligner's tables, reused from call to call. */
  workspace: AlignWorkspace;
  accept?: (source: SourceTokens) => boolean;
  /** Least similarity to count as "close". */
  minSimilarity?: number;
  /**
   * The same quotation's candidates, scored over every source by an earlier call (or to be kept for a later
   * one): pass one ranking to the calls that judge one quotation against several sets of sources.
   */
  ranking?: CandidateRanking;
}

/** The quotation as the aligner sees it: its tokens, and after which of them it marks an omission or substitution. */
export interface NearQuery {
  tokens: readonly PatternToken[];
  freeAfter: ReadonlySet<number>;
  /**
   * Of those places, the ones marked only by brackets (`[the Taliban]`, no ellipsis), each with the brackets'
   * offsets in the text and how many of them stand there: each may replace a few source words (see
   * `plausibleReplacement`).
   */
  brackets?: ReadonlyMap<number, Bracket>;
  /** The quotation text the tokens' offsets point into. */
  text: string;
}

export interface Bracket {
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/** Marks that end a sentence: words a quotation adds after the source's sentence ends are its own. */
const SENTENCE_END = new Set(['.', '!', '?']);

/** How many candidate paragraphs are aligned in full (a PostgreSQL archive fetches as many, chosen alike). */
export const CANDIDATES = 6;
/** Postings longer than this are too common to say where a quotation comes from. */
export const COMMON_WORD = 20000;
const RAREST_WORDS = 12;
const MIN_SIMILARITY = 0.6;

/** At most this many postings are read to find candidates: the rarest words first. */
const POSTINGS_BUDGET = 6000;

/**
 * The words candidates are looked up by, from the quotation's distinct
 * (lower-cased) words in their order: the rarest first, common ones left out,
 * until the postings budget is spent (at least three). A PostgreSQL archive
 * chooses with this too, from the same counts.
 */
export function rareWords<W extends { readonly frequency: number }>(words: readonly W[]): W[] {
  const byRarity = words
    .filter((w) => w.frequency > 0 && w.frequency <= COMMON_WORD)
    .sort((a, b) => a.frequency - b.frequency)
    .slice(0, RAREST_WORDS);
  let spent = 0;
  return byRarity.filter((w, i) => {
    if (i >= 3 && spent + w.frequency > POSTINGS_BUDGET) return false;
    spent += w.frequency;
    return true;
  });
}

/** What a rare word adds to a paragraph's candidate score (IDF-like), given the corpus's token count. */
export function rareWordWeight(tokenCount: number, frequency: number): number {
  return Math.log(1 + Math.max(1, tokenCount) / frequency);
}

/** A paragraph that holds some of the quotation's rare words: its score, and the span of tokens they fall in. */
interface Candidate {
  readonly source: SourceTokens;
  readonly paragraph: number;
  score: number;
  lastWord: number;
  first: number;
  last: number;
}

/**
 * Scores paragraphs by the rare quotation words they contain (IDF-weighted),
 * best first. Words are taken rarest first until a budget of postings is
 * spent, so a quotation made of words that fill the corpus still costs a
 * bounded amount. Postings are in corpus order, so sources and paragraphs are
 * found by galloping forward (a large source has tens of thousands of
 * paragraphs), not by searching from the start. Every candidate, in the order
 * the stable sort leaves them: the caller keeps the first few it accepts.
 */
function scoredParagraphs(index: CandidateIndex, words: readonly PatternToken[], accept?: (s: SourceTokens) => boolean): Candidate[] {
  const vocabulary = index.vocabulary;
  const folded = new Set<number>();
  for (const word of words) {
    const id = vocabulary.lookup(word.text.toLowerCase());
    if (id >= 0) folded.add(vocabulary.folded[id]);
  }
  const chosen = rareWords([...folded].map((id) => ({ id, frequency: index.frequency(id) })));
  const sources = index.sources;
  const baseOf = (i: number): number => sources[i].base;
  const scores = new Map<number, Candidate>();
  chosen.forEach((word, w) => {
    const weight = rareWordWeight(index.tokenCount, word.frequency);
    let s = 0;
    let p = 0;
    let accepted = !accept || accept(sources[0]);
    // The current source's paragraph starts, read when a posting in it is taken.
    let firstAt: ((i: number) => number) | undefined;
    let paragraphs = 0;
    for (const position of index.positions(word.id)) {
      const next = gallopAtOrBelow(baseOf, sources.length, s, position);
      if (next !== s) {
        s = next;
        p = 0;
        accepted = !accept || accept(sources[s]);
        firstAt = undefined;
      }
      if (!accepted) continue;
      const source = sources[s];
      const token = position - source.base;
      if (!firstAt) {
        const starts = source.paragraphFirstToken;
        firstAt = (i) => starts[i];
        paragraphs = starts.length;
      }
      p = gallopAtOrBelow(firstAt, paragraphs, p, token);
      const key = source.paragraphBase + p;
      let entry = scores.get(key);
      if (!entry) {
        entry = { source, paragraph: p, score: 0, lastWord: -1, first: token, last: token };
        scores.set(key, entry);
      }
      entry.first = Math.min(entry.first, token);
      entry.last = Math.max(entry.last, token);
      if (entry.lastWord !== w) {
        entry.lastWord = w;
        entry.score += weight;
      }
    }
  });
  return [...scores.values()].sort((a, b) => b.score - a.score);
}

/**
 * One quotation's candidates over every source, scored once and kept: a
 * quotation judged against the sources it does not cite and then against all
 * asks twice for the same postings' scores. Filtering the full ranking gives
 * what scoring only the accepted sources gives: an accepted paragraph's score
 * and span do not depend on the others, it is first met at the same posting,
 * and the sort is stable.
 */
export class CandidateRanking {
  private ranked: Candidate[] | undefined;

  /** The best `CANDIDATES` paragraphs of sources that `accept` takes (all when undefined). */
  best(index: CandidateIndex, words: readonly PatternToken[], accept?: (s: SourceTokens) => boolean): Candidate[] {
    this.ranked ??= scoredParagraphs(index, words);
    const out: Candidate[] = [];
    for (const candidate of this.ranked) {
      if (out.length === CANDIDATES) break;
      if (!accept || accept(candidate.source)) out.push(candidate);
    }
    return out;
  }
}

function candidateParagraphs(index: CandidateIndex, words: readonly PatternToken[], accept: ((s: SourceTokens) => boolean) | undefined, ranking: CandidateRanking | undefined): Candidate[] {
  if (ranking) return ranking.best(index, words, accept);
  return scoredParagraphs(index, words, accept).slice(0, CANDIDATES);
}

/**
 * Finds where the quotation nearly occurs: candidate paragraphs from the
 * index (rare words first), then a word-level alignment of the quotation
 * against each candidate and its neighbours. The best alignment is kept if
 * enough of the quotation's words are the source's, in order.
 */
export function findNear(index: CandidateIndex, query: NearQuery, options: NearOptions): NearMatch | undefined {
  const quotation = query.tokens;
  const words = quotation.filter((t) => t.isWord);
  if (words.length === 0) return undefined;
  const vocabulary = index.vocabulary;
  let best: { source: SourceTokens; from: number; ops: AlignOp[]; similarity: number; score: number } | undefined;
  const tokens = Math.max(1, index.tokenCount);
  // Each quotation token's id and lower-cased id, so that comparing it with a source token compares numbers.
  const exactIds = quotation.map((t) => vocabulary.lookup(t.text));
  const foldedIds = quotation.map((t) => vocabulary.lookup(t.text.toLowerCase()));
  const recurrence = quotation.map((t, q) => (!t.isWord ? 1 : foldedIds[q] >= 0 ? index.frequency(foldedIds[q]) / tokens : 0));
  for (const candidate of candidateParagraphs(index, words, options.accept, options.ranking)) {
    const { source } = candidate;
    // The candidate paragraph and its neighbours, but no more than a few quotation-lengths around the
    // words that made it a candidate: a source "paragraph" can be a whole file on one line.
    const reach = 3 * quotation.length + 20;
    const from = Math.max(source.paragraphFirstToken[Math.max(0, candidate.paragraph - 1)], candidate.first - reach);
    const to = Math.min(source.paragraphEndToken(Math.min(source.paragraphCount - 1, candidate.paragraph + 1)), candidate.last + reach);
    const breaks = new Set<number>();
    for (let p = Math.max(0, candidate.paragraph - 1); p <= candidate.paragraph + 1 && p < source.paragraphCount; p++) {
      breaks.add(source.paragraphFirstToken[p] - from);
    }
    const compare = (q: number, s: number): 'equal' | 'case' | 'different' => {
      const id = source.ids[from + s];
      if (id === exactIds[q]) return 'equal';
      if (foldedIds[q] < 0 || vocabulary.folded[id] !== foldedIds[q]) return 'different';
      const text = vocabulary.text(id);
      const quoted = quotation[q];
      const allowed = quoted.caseInsensitive === 'all' || (quoted.caseInsensitive === 'first' && text.slice(1) === quoted.text.slice(1));
      return allowed ? 'equal' : 'case';
    };
    const alignment = align({
      quoteLength: quotation.length,
      sourceLength: to - from,
      compare,
      isWord: (q) => quotation[q].isWord,
      sourceIsWord: (t) => vocabulary.kinds[source.ids[from + t]] === TokenKind.Word,
      freeAfter: (q) => query.freeAfter.has(q),
      recurrence: (q) => recurrence[q],
      endsSentence: (t) => SENTENCE_END.has(vocabulary.text(source.ids[from + t])),
      opensParagraph: (t) => breaks.has(t),
    }, options.workspace);
    if (!alignment) continue;
    const similarity = similarityOf(alignment.ops, quotation, query.freeAfter, source, from, vocabulary.kinds);
    if (!best || similarity > best.similarity || (similarity === best.similarity && alignment.score > best.score)) {
      best = { source, from, ops: alignment.ops, similarity, score: alignment.score };
    }
  }
  if (!best || best.similarity < (options.minSimilarity ?? MIN_SIMILARITY)) return undefined;
  const paired = best.ops.filter((op): op is Extract<AlignOp, { s: number; q: number }> => 'q' in op && 's' in op);
  if (paired.length === 0) return undefined;
  const start = best.from + paired[0].s;
  const end = best.from + paired[paired.length - 1].s + 1;
  const { source, from, ops, similarity } = best;
  // Aligned with no difference the exact search would have found it, unless the quotation's own omissions reach
  // further than the conventions allow: that is not "close", and the verdicts after this one say what is wrong.
  const count = changeCount(ops, query, (s) => ({ text: vocabulary.text(source.ids[from + s]), isWord: vocabulary.kinds[source.ids[from + s]] === TokenKind.Word }));
  if (count === 0 || count > Math.max(3, Math.ceil(words.length / 4))) return undefined;
  // The changes' words and offsets read the source's text and paragraphs: only when someone asks (a weak nearest
  // place, where nothing is found, shows none).
  let changes: WordChange[] | undefined;
  return {
    source,
    start,
    end,
    similarity,
    get changes() {
      return (changes ??= changesOf(ops, source, from, query, vocabulary));
    },
  };
}

/**
 * How many changes `changesOf` makes of an alignment, from the alignment alone (no text or offsets read): its
 * runs of differences and its refused bracket skips, grouped as `changesOf` groups them. Taking in the joined
 * words around a run (which needs offsets) moves a run's bounds over matches only, never joins two runs.
 */
function changeCount(ops: readonly AlignOp[], query: NearQuery, sourceToken: (s: number) => { text: string; isWord: boolean }): number {
  const firstPaired = ops.findIndex((op) => 'q' in op && 's' in op);
  const lastPaired = ops.length - 1 - [...ops].reverse().findIndex((op) => 'q' in op && 's' in op);
  let count = 0;
  let k = 0;
  while (k < ops.length) {
    const op = ops[k];
    if (op.kind === 'skip') {
      if (bracketSkip(ops, k, query, sourceToken)) count++;
      while (k < ops.length && ops[k].kind === 'skip') k++;
      continue;
    }
    if (op.kind === 'match' || ('s' in op && !('q' in op) && (k < firstPaired || k > lastPaired))) {
      k++;
      continue;
    }
    while (k < ops.length && ops[k].kind !== 'match' && ops[k].kind !== 'skip') {
      if (!('q' in ops[k]) && (k < firstPaired || k > lastPaired)) break;
      k++;
    }
    count++;
  }
  return count;
}

/** A silent omission longer than this many words is not "a few words dropped". */
const MAX_OMITTED_WORDS = 150;
/** Each stretch between the quotation's own omissions must mostly be there. */
const MIN_PIECE_SIMILARITY = 0.5;

/**
 * The share of the quotation's words that stand in the source, in order (a
 * case-only difference counts 0.8). Silently omitted source words are changes
 * the message names, not a reason to call the quotation unrelated — up to a
 * paragraph's worth. Every stretch between the quotation's own ellipses and
 * brackets must itself mostly match, so one good stretch cannot carry another
 * that comes from elsewhere.
 */
function similarityOf(
  ops: readonly AlignOp[],
  quotation: readonly PatternToken[],
  freeAfter: ReadonlySet<number>,
  source: SourceTokens,
  from: number,
  kinds: ArrayLike<TokenKind>,
): number {
  const pieceOf: number[] = [];
  let piece = 0;
  quotation.forEach((_, q) => {
    pieceOf.push(piece);
    if (freeAfter.has(q)) piece++;
  });
  const shared = new Array<number>(piece + 1).fill(0);
  const words = new Array<number>(piece + 1).fill(0);
  let omitted = 0;
  const firstPaired = ops.findIndex((op) => 'q' in op && 's' in op);
  const lastPaired = ops.length - 1 - [...ops].reverse().findIndex((op) => 'q' in op && 's' in op);
  ops.forEach((op, i) => {
    if ('q' in op && quotation[op.q].isWord) {
      words[pieceOf[op.q]]++;
      if (op.kind === 'match') shared[pieceOf[op.q]]++;
      if (op.kind === 'case') shared[pieceOf[op.q]] += 0.8;
    }
    if (op.kind === 'omit' && i > firstPaired && i < lastPaired && kinds[source.ids[from + op.s]] === TokenKind.Word) omitted++;
  });
  if (omitted > MAX_OMITTED_WORDS) return 0;
  if (words.some((w, p) => w >= 3 && shared[p] / w < MIN_PIECE_SIMILARITY)) return 0;
  const total = words.reduce((a, b) => a + b, 0);
  return shared.reduce((a, b) => a + b, 0) / Math.max(1, total);
}

/** Groups the alignment's differences into changes, each in the quotation's and the source's own words. */
function changesOf(ops: readonly AlignOp[], source: SourceTokens, from: number, query: NearQuery, vocabulary: TokenVocabulary): WordChange[] {
  const quotation = query.tokens;
  const kinds = vocabulary.kinds;
  const changes: WordChange[] = [];
  const sourceSlice = (a: number, b: number): string => (a < b ? source.excerpt(source.tokenStart(from + a), source.tokenEnd(from + b - 1)) : '');
  const quoteSlice = (a: number, b: number): string => (a < b ? query.text.slice(quotation[a].start, quotation[b - 1].end).replace(/\s+/g, ' ') : '');
  const isSourceWord = (s: number): boolean => kinds[source.ids[from + s]] === TokenKind.Word;
  const sourceToken = (s: number): { text: string; isWord: boolean } => ({ text: vocabulary.text(source.ids[from + s]), isWord: isSourceWord(s) });
  // A hyphen between two words with no space is part of one word (`long-tended`), unlike a dash between words.
  const isHyphen = (raw: string): boolean => /^[-‐‑]$/u.test(raw);
  const quoteJoined = (q: number): boolean =>
    q >= 0 && q + 1 < quotation.length && quotation[q].end === quotation[q + 1].start && (isHyphen(query.text.slice(quotation[q].start, quotation[q].end)) || isHyphen(query.text.slice(quotation[q + 1].start, quotation[q + 1].end)));
  const sourceJoined = (s: number): boolean => {
    if (from + s < 0 || from + s + 1 >= source.ids.length) return false;
    const [a, b] = [from + s, from + s + 1];
    if (source.tokenEnd(a) !== source.tokenStart(b)) return false;
    return isHyphen(source.excerpt(source.tokenStart(a), source.tokenEnd(a))) || isHyphen(source.excerpt(source.tokenStart(b), source.tokenEnd(b)));
  };
  // Leading and trailing source tokens outside the aligned stretch are not part of the quotation.
  const firstPaired = ops.findIndex((op) => 'q' in op && 's' in op);
  const lastPaired = ops.length - 1 - [...ops].reverse().findIndex((op) => 'q' in op && 's' in op);
  let k = 0;
  while (k < ops.length) {
    const op = ops[k];
    if (op.kind === 'skip') {
      const bracket = bracketSkip(ops, k, query, sourceToken);
      if (bracket) {
        changes.push({
          kind: 'bracket',
          source: sourceSlice(bracket.first, bracket.last + 1),
          quotation: query.text.slice(bracket.start, bracket.end),
          sourceWords: bracket.words,
          quotationWords: query.text.slice(bracket.start, bracket.end).match(/[\p{L}\p{N}]+/gu)?.length ?? 0,
          sourceStart: source.tokenStart(from + bracket.first),
          sourceEnd: source.tokenEnd(from + bracket.last),
          quotationStart: bracket.start,
          quotationEnd: bracket.end,
        });
      }
      while (k < ops.length && ops[k].kind === 'skip') k++;
      continue;
    }
    if (op.kind === 'match' || ('s' in op && !('q' in op) && (k < firstPaired || k > lastPaired))) {
      k++;
      continue;
    }
    let s0 = Infinity;
    let s1 = -Infinity;
    let q0 = Infinity;
    let q1 = -Infinity;
    const runStart = k;
    // A run of differences up to the next match or marked omission.
    while (k < ops.length && ops[k].kind !== 'match' && ops[k].kind !== 'skip') {
      const d = ops[k];
      if (!('q' in d) && (k < firstPaired || k > lastPaired)) break;
      if ('s' in d) {
        s0 = Math.min(s0, d.s);
        s1 = Math.max(s1, d.s + 1);
      }
      if ('q' in d) {
        q0 = Math.min(q0, d.q);
        q1 = Math.max(q1, d.q + 1);
      }
      k++;
    }
    // A change reads in whole words: one inside a hyphenated word takes in the word's matched parts on both
    // sides (`source has "long-tended", not "long-standing"`, not `"tended", not "standing"`).
    for (let m = runStart - 1; m >= 0; m--) {
      const match = ops[m];
      if (match.kind !== 'match' || !(quoteJoined(match.q) || sourceJoined(match.s))) break;
      [q0, s0] = [Math.min(q0, match.q), Math.min(s0, match.s)];
      [q1, s1] = [Math.max(q1, match.q + 1), Math.max(s1, match.s + 1)];
    }
    for (; k < ops.length; k++) {
      const match = ops[k];
      if (match.kind !== 'match' || !(quoteJoined(match.q - 1) || sourceJoined(match.s - 1))) break;
      [q0, s0] = [Math.min(q0, match.q), Math.min(s0, match.s)];
      [q1, s1] = [Math.max(q1, match.q + 1), Math.max(s1, match.s + 1)];
    }
    const hasSource = s0 < s1;
    const hasQuote = q0 < q1;
    // The stretch a repair swaps: a pure addition or omission takes in the matched neighbours on both sides,
    // so that swapping one side for the other keeps the white space (and hyphens) right.
    let [r0, r1, p0, p1] = [s0, s1, q0, q1];
    const before = previousMatch(ops, k - 1);
    const after = nextMatch(ops, k);
    if (!hasSource || !hasQuote) {
      for (const neighbour of [before, after]) {
        if (!neighbour) continue;
        r0 = Math.min(r0, neighbour.s);
        r1 = Math.max(r1, neighbour.s + 1);
        p0 = Math.min(p0, neighbour.q);
        p1 = Math.max(p1, neighbour.q + 1);
      }
    }
    // A change of marks alone (`high-ranking` for `high ranking`) reads better with its words.
    const marksOnly = !/[\p{L}\p{N}]/u.test(sourceSlice(s0, s1) + quoteSlice(q0, q1));
    let sourceWords = 0;
    for (let t = s0; t < s1; t++) if (isSourceWord(t)) sourceWords++;
    let quotationWords = 0;
    for (let t = q0; t < q1; t++) if (quotation[t].isWord) quotationWords++;
    changes.push({
      kind: 'words',
      source: marksOnly ? sourceSlice(r0, r1) : hasSource ? sourceSlice(s0, s1) : '',
      quotation: marksOnly ? quoteSlice(p0, p1) : hasQuote ? quoteSlice(q0, q1) : '',
      sourceWords,
      quotationWords,
      sourceStart: source.tokenStart(from + r0),
      sourceEnd: source.tokenEnd(from + r1 - 1),
      quotationStart: quotation[p0].start,
      quotationEnd: quotation[p1 - 1].end,
    });
  }
  return changes;
}

/**
 * The source tokens a run of free skips starting at `ops[k]` passes over, when the quotation marks the place
 * with brackets alone and they stand in for words brackets may not replace (the exact search refused it):
 * more than a few, or, for one bracket, words that name nothing it could name.
 */
function bracketSkip(
  ops: readonly AlignOp[],
  k: number,
  query: NearQuery,
  sourceToken: (s: number) => { text: string; isWord: boolean },
): { first: number; last: number; words: number; start: number; end: number } | undefined {
  let q = -1;
  for (let i = k - 1; i >= 0 && q < 0; i--) {
    const op = ops[i];
    if ('q' in op) q = op.q;
  }
  const bracket = query.brackets?.get(q);
  if (!bracket) return undefined;
  let end = k;
  const replaced: { text: string; isWord: boolean }[] = [];
  for (; end < ops.length; end++) {
    const op = ops[end];
    if (op.kind !== 'skip') break;
    replaced.push(sourceToken(op.s));
  }
  const words = replaced.filter((t) => t.isWord).length;
  const allowed =
    bracket.count === 1 ? plausibleReplacement(replaced, bracketWords(query.text.slice(bracket.start, bracket.end))) : words <= MAX_BRACKET_WORDS * bracket.count;
  if (allowed) return undefined;
  const first = ops[k];
  const last = ops[end - 1];
  if (first.kind !== 'skip' || last.kind !== 'skip') return undefined;
  return { first: first.s, last: last.s, words, start: bracket.start, end: bracket.end };
}

function previousMatch(ops: readonly AlignOp[], k: number): { q: number; s: number } | undefined {
  for (let i = k; i >= 0; i--) {
    const op = ops[i];
    if (op.kind === 'match') return op;
    if (op.kind === 'skip') return undefined;
  }
  return undefined;
}

function nextMatch(ops: readonly AlignOp[], k: number): { q: number; s: number } | undefined {
  for (let i = k; i < ops.length; i++) {
    const op = ops[i];
    if (op.kind === 'match') return op;
    if (op.kind === 'skip') return undefined;
  }
  return undefined;
}
