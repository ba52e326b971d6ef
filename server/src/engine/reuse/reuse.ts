import { QUOTE_MARK, TokenKind } from '../text/tokens.js';
import type { Corpus, Source } from '../corpus/corpus.js';
import type { CandidateIndex, SourceTokens } from '../corpus/store.js';
import { align, AlignWorkspace } from '../match/align.js';
import { candidatePairs, paragraphSources, sourceCandidateSteps, type ShingleOptions } from './shingles.js';

/**
 * Text reuse between the corpus's sources: paragraphs that share a verbatim
 * run of `MIN_RUN_WORDS` or more words, and paragraphs whose words largely
 * align though few runs survive (a spun copy of a wire story). Candidates
 * come from shared word shingles (see shingles.ts); each candidate pair is
 * then compared word by word.
 */

/** Words in a row two paragraphs must share for the pair to count as verbatim reuse. */
const MIN_RUN_WORDS = 8;
/** Share of the shorter paragraph's words that must align for a pair to count as paraphrase. */
const PARAPHRASE_SHARE = 0.5;
/** A paragraph shorter than this is too short to call a paraphrase of anything (a heading, a dateline). */
const MIN_PARAPHRASE_WORDS = 12;
/** Alignment cells (words × words) above which a pair is compared for verbatim runs only. */
const MAX_ALIGN_CELLS = 400_000;

export type ReuseKind = 'verbatim' | 'paraphrased';

/** One side of a reused passage. */
export interface ReuseSide {
  readonly key: string;
  readonly path: string;
  /** The source's date as its bibliography entry or metadata gives it; undefined when it has none. */
  readonly date?: string;
  /** The paragraph's number (as a `¶ n` locator counts). */
  readonly paragraph: number;
  /** Words in the paragraph. */
  readonly words: number;
  /** Share of the paragraph's words that the pair shares (0–1). */
  readonly share: number;
}

export interface ReusePair {
  /** The likely origin: the earlier-dated source, when the dates say so. */
  readonly origin: ReuseSide;
  readonly copy: ReuseSide;
  readonly kind: ReuseKind;
  /** Words the two paragraphs share: aligned words for a paraphrase, words in runs of eight or more for verbatim reuse. */
  readonly sharedWords: number;
  /** The longest run of eight or more words the two paragraphs share (0 when none), and its wording in the origin. */
  readonly longestRun: number;
  readonly runText?: string;
  /**
   * `dates` when the origin is dated earlier than the copy; `quotation` when the dates cannot tell but the
   * copy sets the shared run in quotation marks and the origin does not; otherwise `unknown`.
   */
  readonly direction: 'dates' | 'quotation' | 'unknown';
}

export interface ReuseReport {
  readonly pairs: readonly ReusePair[];
  /** Sources compared. */
  readonly sources: number;
  /** Paragraph pairs the shingles proposed, all compared word by word. */
  readonly candidates: number;
  /** Shingles over the corpus, and those set aside as boilerplate. */
  readonly shingles: number;
  readonly boilerplate: number;
}

export interface ReuseOptions {
  /** Distinct four-word shingles a pair must share to be compared (default 2). */
  minShared?: number;
  /** A shingle in more paragraphs than this pairs no one (default 40). */
  maxSpread?: number;
}

/** A paragraph's words: lower-cased ids, and the token number of each. */
interface ParagraphWords {
  readonly ids: Int32Array;
  readonly tokens: Int32Array;
}

function paragraphWords(index: CandidateIndex, source: SourceTokens, p: number): ParagraphWords {
  const { folded, kinds } = index.vocabulary;
  const first = source.paragraphFirstToken[p];
  const end = source.paragraphEndToken(p);
  const ids: number[] = [];
  const tokens: number[] = [];
  for (let t = first; t < end; t++) {
    const id = source.ids[t];
    if (kinds[id] !== TokenKind.Word) continue;
    ids.push(folded[id]);
    tokens.push(t);
  }
  return { ids: Int32Array.from(ids), tokens: Int32Array.from(tokens) };
}

/** A maximal run of equal words: where it starts in each paragraph, and its length. */
interface Run {
  readonly a: number;
  readonly b: number;
  readonly length: number;
}

/** Every maximal run of `MIN_RUN_WORDS` or more equal words, found from the runs' first words' hashes. */
function verbatimRuns(a: Int32Array, b: Int32Array): Run[] {
  const starts = new Map<number, number[]>();
  const gram = (ids: Int32Array, i: number): number => {
    let hash = 0;
    for (let k = 0; k < MIN_RUN_WORDS; k++) hash = (Math.imul(hash, 31) + ids[i + k]) | 0;
    return hash;
  };
  for (let i = 0; i + MIN_RUN_WORDS <= a.length; i++) {
    const hash = gram(a, i);
    const known = starts.get(hash);
    if (known) known.push(i);
    else starts.set(hash, [i]);
  }
  const runs: Run[] = [];
  for (let j = 0; j + MIN_RUN_WORDS <= b.length; j++) {
    for (const i of starts.get(gram(b, j)) ?? []) {
      // Only a run's first position starts it; the others lie inside it.
      if (i > 0 && j > 0 && a[i - 1] === b[j - 1]) continue;
      let length = 0;
      while (i + length < a.length && j + length < b.length && a[i + length] === b[j + length]) length++;
      if (length >= MIN_RUN_WORDS) runs.push({ a: i, b: j, length });
    }
  }
  return runs;
}

function covered(runs: readonly Run[], side: 'a' | 'b', size: number): number {
  const marks = new Uint8Array(size);
  for (const run of runs) marks.fill(1, run[side], run[side] + run.length);
  return marks.reduce((sum, mark) => sum + mark, 0);
}

/** Words of `a` (the shorter) aligned with equal words of `b`: global in `a`, local in `b` (see align.ts). */
function alignedWords(index: CandidateIndex, a: Int32Array, b: Int32Array, workspace: AlignWorkspace): number {
  const total = Math.max(1, index.tokenCount);
  const alignment = align(
    {
      quoteLength: a.length,
      sourceLength: b.length,
      compare: (q, s) => (a[q] === b[s] ? 'equal' : 'different'),
      isWord: () => true,
      sourceIsWord: () => true,
      freeAfter: () => false,
      recurrence: (q) => index.frequency(a[q]) / total,
      endsSentence: () => false,
      opensParagraph: () => false,
    },
    workspace,
  );
  return alignment ? alignment.ops.filter((op) => op.kind === 'match').length : 0;
}

interface Compared {
  kind: ReuseKind;
  sharedWords: number;
  shareA: number;
  shareB: number;
  longest?: Run;
}

function compare(index: CandidateIndex, a: ParagraphWords, b: ParagraphWords, workspace: AlignWorkspace): Compared | undefined {
  const runs = verbatimRuns(a.ids, b.ids);
  const longest = runs.reduce<Run | undefined>((best, run) => (!best || run.length > best.length ? run : best), undefined);
  const runWordsA = covered(runs, 'a', a.ids.length);
  const runWordsB = covered(runs, 'b', b.ids.length);
  const [shorter, longer] = a.ids.length <= b.ids.length ? [a.ids, b.ids] : [b.ids, a.ids];
  const alignable = shorter.length >= MIN_PARAPHRASE_WORDS && shorter.length * longer.length <= MAX_ALIGN_CELLS;
  const aligned = alignable ? alignedWords(index, shorter, longer, workspace) : 0;
  // Mostly runs of eight or more: reuse word for word; many aligned words outside such runs: a paraphrase.
  // Fewer words than a verbatim run needs are a stock phrase (`or at the end of the`), not a paraphrase.
  if (aligned >= MIN_RUN_WORDS && aligned >= PARAPHRASE_SHARE * shorter.length && Math.min(runWordsA, runWordsB) < 0.8 * aligned) {
    return { kind: 'paraphrased', sharedWords: aligned, shareA: aligned / a.ids.length, shareB: aligned / b.ids.length, longest };
  }
  if (!longest) return undefined;
  return { kind: 'verbatim', sharedWords: Math.min(runWordsA, runWordsB), shareA: runWordsA / a.ids.length, shareB: runWordsB / b.ids.length, longest };
}

/** Dates as the bibliography writes them (`2021-07-10`, `2021`): ISO prefixes compare as strings; others are not compared. */
const ISO_DATE = /^\d{4}(-\d{2}){0,2}/u;

/** Whether `a` is dated before `b`, after it, or the dates cannot tell (one undated, the same day, or not ISO). */
function dateOrder(a: Source, b: Source): -1 | 1 | 0 {
  const da = ISO_DATE.exec(a.metadata?.date ?? '')?.[0];
  const db = ISO_DATE.exec(b.metadata?.date ?? '')?.[0];
  if (!da || !db) return 0;
  // A year alone cannot be ordered against a day of the same year.
  const length = Math.min(da.length, db.length);
  if (da.slice(0, length) === db.slice(0, length)) return 0;
  return da < db ? -1 : 1;
}

function sideOf(source: Source, paragraph: number, words: number, share: number): ReuseSide {
  const number = source.paragraphs[paragraph]?.number ?? paragraph + 1;
  return { key: source.key, path: source.path, ...(source.metadata?.date ? { date: source.metadata.date } : {}), paragraph: number, words, share };
}

/** The words of a run as the origin writes them. */
function runText(source: Source, words: ParagraphWords, run: Run, start: number): string {
  const indexed = source.indexed;
  return indexed.excerpt(indexed.tokenStart(words.tokens[start]), indexed.tokenEnd(words.tokens[start + run.length - 1]));
}

/** Marks allowed between a quoted run and its quotation mark (`.”`, `,”`, `: “`). */
const MARKS_BESIDE_QUOTE = 2;

/** Whether a quotation mark stands just outside both ends of a run (only marks between), inside its paragraph. */
function isQuoted(index: CandidateIndex, source: SourceTokens, words: ParagraphWords, start: number, length: number): boolean {
  const { kinds } = index.vocabulary;
  const quote = index.vocabulary.lookup(QUOTE_MARK);
  if (quote < 0) return false;
  const p = source.paragraphIndexOf(words.tokens[start]);
  const first = source.paragraphFirstToken[p];
  const end = source.paragraphEndToken(p);
  const marked = (from: number, step: 1 | -1): boolean => {
    for (let t = from, k = 0; t >= first && t < end && k <= MARKS_BESIDE_QUOTE && kinds[source.ids[t]] !== TokenKind.Word; t += step, k++) {
      if (source.ids[t] === quote) return true;
    }
    return false;
  };
  return marked(words.tokens[start] - 1, -1) && marked(words.tokens[start + length - 1] + 1, 1);
}

/**
 * Which side is the likely origin: the earlier-dated one; when the dates cannot tell, the one whose run the
 * other sets in quotation marks; else corpus order, the direction unknown.
 */
function directionOf(index: CandidateIndex, a: Source, b: Source, wordsA: ParagraphWords, wordsB: ParagraphWords, run: Run | undefined): { flip: boolean; direction: ReusePair['direction'] } {
  const order = dateOrder(a, b);
  if (order !== 0) return { flip: order === 1, direction: 'dates' };
  if (run) {
    const quotedA = isQuoted(index, a.indexed, wordsA, run.a, run.length);
    const quotedB = isQuoted(index, b.indexed, wordsB, run.b, run.length);
    if (quotedA !== quotedB) return { flip: quotedA, direction: 'quotation' };
  }
  return { flip: false, direction: 'unknown' };
}

/** Orders pairs: dated origins first, earliest first; then by key and paragraph. */
function byOrigin(x: ReusePair, y: ReusePair): number {
  const rank = (pair: ReusePair): number => (pair.direction === 'dates' ? 0 : pair.direction === 'quotation' ? 1 : 2);
  const known = rank(x) - rank(y);
  if (known !== 0) return known;
  const date = (x.origin.date ?? '').localeCompare(y.origin.date ?? '');
  if (date !== 0 && x.direction === 'dates') return date;
  return x.origin.key.localeCompare(y.origin.key) || x.copy.key.localeCompare(y.copy.key) || x.origin.paragraph - y.origin.paragraph || x.copy.paragraph - y.copy.paragraph;
}

/** Compares one candidate pair of corpus-wide paragraph numbers; the pair when they share enough text, oriented origin → copy. */
function comparePair(corpus: Corpus, owner: Int32Array, first: number, second: number, workspace: AlignWorkspace): ReusePair | undefined {
  const index = corpus.index;
  const sourceA = corpus.sources[owner[first]];
  const sourceB = corpus.sources[owner[second]];
  const pa = first - sourceA.indexed.paragraphBase;
  const pb = second - sourceB.indexed.paragraphBase;
  const wordsA = paragraphWords(index, sourceA.indexed, pa);
  const wordsB = paragraphWords(index, sourceB.indexed, pb);
  const found = compare(index, wordsA, wordsB, workspace);
  if (!found) return undefined;
  const run = found.longest;
  const { flip, direction } = directionOf(index, sourceA, sourceB, wordsA, wordsB, run);
  const a = sideOf(sourceA, pa, wordsA.ids.length, found.shareA);
  const b = sideOf(sourceB, pb, wordsB.ids.length, found.shareB);
  const text = run ? (flip ? runText(sourceB, wordsB, run, run.b) : runText(sourceA, wordsA, run, run.a)) : undefined;
  return {
    origin: flip ? b : a,
    copy: flip ? a : b,
    kind: found.kind,
    sharedWords: found.sharedWords,
    longestRun: run?.length ?? 0,
    ...(text !== undefined ? { runText: text } : {}),
    direction,
  };
}

function shingleOptions(options: ReuseOptions): ShingleOptions {
  return { minShared: options.minShared ?? 2, maxSpread: options.maxSpread ?? 40 };
}

/** Every pair of paragraphs in different sources that share a verbatim run or read as paraphrases of each other. */
export function findReuse(corpus: Corpus, options: ReuseOptions = {}): ReuseReport {
  const candidates = candidatePairs(corpus.index, shingleOptions(options));
  const steps = comparisonSteps(corpus, candidates);
  let step = steps.next();
  while (!step.done) step = steps.next();
  const pairs = step.value;
  return { pairs, sources: corpus.sources.length, candidates: candidates.first.length, shingles: candidates.shingles, boilerplate: candidates.boilerplate };
}

/**
 * The pairs `findReuse` reports that have a paragraph in `source`, in the
 * same order, found from that source's shingles alone (see
 * `sourceCandidateSteps`). Yields after each run of paragraphs read and each candidate
 * compared, so a caller that must stay responsive can pause between steps.
 */
export function* sourceReuseSteps(corpus: Corpus, source: Source, options: ReuseOptions = {}): Generator<void, ReusePair[]> {
  const candidates = yield* sourceCandidateSteps(corpus.index, source.indexed.ordinal, shingleOptions(options));
  return yield* comparisonSteps(corpus, candidates);
}

/** The candidate pairs compared, one a step; the pairs that hold, in report order. */
function* comparisonSteps(corpus: Corpus, candidates: { readonly first: ArrayLike<number>; readonly second: ArrayLike<number> }): Generator<void, ReusePair[]> {
  const owner = paragraphSources(corpus.index);
  const workspace = new AlignWorkspace();
  const pairs: ReusePair[] = [];
  for (let c = 0; c < candidates.first.length; c++) {
    const pair = comparePair(corpus, owner, candidates.first[c], candidates.second[c], workspace);
    if (pair) pairs.push(pair);
    yield;
  }
  return pairs.sort(byOrigin);
}
