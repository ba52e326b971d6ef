import { TokenKind } from '../text/tokens.js';
import type { CandidateIndex, SourceTokens } from '../corpus/store.js';

/**
 * Candidate paragraph pairs for text reuse, from word shingles over the corpus
 * index's token ids: every run of `SHINGLE_WORDS` consecutive words inside a
 * paragraph (letter case folded, marks ignored) is hashed, the hashes of the
 * whole corpus are sorted together with their paragraph numbers, and two
 * paragraphs of different sources that share enough shingles become a
 * candidate. Only candidates are ever aligned: the cost grows with the corpus
 * and with how much text its sources share, not with the square of its size.
 */

/** Words per shingle: short enough that a spun copy keeps many (a spinner rarely changes four words in a row). */
const SHINGLE_WORDS = 4;

export interface ShingleOptions {
  /** Distinct shingles two paragraphs must share to be compared (an eight-word run holds five). */
  minShared: number;
  /**
   * A shingle found in more paragraphs than this is boilerplate (a licence's
   * sentence, a stock phrase) and pairs no one: otherwise a passage carried by
   * n paragraphs would make n² candidates.
   */
  maxSpread: number;
}

/** Pairs of corpus-wide paragraph numbers (`first < second`, in different sources) and how many shingles they share. */
export interface CandidatePairs {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly shared: Int32Array;
  /** Shingles hashed over the corpus. */
  readonly shingles: number;
  /** Shingles left out as boilerplate (found in more than `maxSpread` paragraphs). */
  readonly boilerplate: number;
}

/** The source (by ordinal) of each corpus-wide paragraph number. */
export function paragraphSources(index: CandidateIndex): Int32Array {
  const total = index.sources.reduce((sum, source) => sum + source.paragraphCount, 0);
  const owner = new Int32Array(total);
  for (const source of index.sources) owner.fill(source.ordinal, source.paragraphBase, source.paragraphBase + source.paragraphCount);
  return owner;
}

/** FNV-1a over the last `SHINGLE_WORDS` words, oldest first (`window` is a ring; `words` counts the paragraph's words so far). */
function shingleHash(window: Int32Array, words: number): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < SHINGLE_WORDS; k++) hash = Math.imul(hash ^ window[(words + k) % SHINGLE_WORDS], 0x01000193);
  return hash;
}

/** Bits of a shingle's hash kept, so that hash bits and paragraph number fit a double's 53-bit integers. */
function hashBitsFor(paragraphTotal: number): number {
  return Math.min(32, 53 - Math.ceil(Math.log2(paragraphTotal + 1)));
}

/**
 * Each shingle as one sortable number: its hash's top bits times the number
 * of paragraphs, plus its paragraph. Both fit a double's 53-bit integers, so
 * a native numeric sort groups equal shingles with their paragraphs ascending.
 */
function shingleKeys(index: CandidateIndex, paragraphTotal: number): { keys: Float64Array; hashBits: number } {
  const { folded, kinds } = index.vocabulary;
  const hashBits = hashBitsFor(paragraphTotal);
  const drop = 32 - hashBits;
  const keys = new Float64Array(index.tokenCount);
  let count = 0;
  const window = new Int32Array(SHINGLE_WORDS);
  for (const source of index.sources) {
    const ids = source.ids;
    for (let p = 0; p < source.paragraphCount; p++) {
      const paragraph = source.paragraphBase + p;
      const end = source.paragraphEndToken(p);
      let words = 0;
      for (let t = source.paragraphFirstToken[p]; t < end; t++) {
        const id = ids[t];
        if (kinds[id] !== TokenKind.Word) continue;
        window[words % SHINGLE_WORDS] = folded[id];
        words++;
        if (words < SHINGLE_WORDS) continue;
        keys[count++] = (shingleHash(window, words) >>> drop) * paragraphTotal + paragraph;
      }
    }
  }
  return { keys: keys.subarray(0, count).sort(), hashBits };
}

/** A growable Int32Array. */
class Column {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** The pairs (keyed `first * total + second`) that share at least `minShared` shingles, as columns. */
function pairsSharing(sharedByPair: ReadonlyMap<number, number>, total: number, minShared: number): Pick<CandidatePairs, 'first' | 'second' | 'shared'> {
  const first = new Column();
  const second = new Column();
  const shared = new Column();
  for (const [pair, count] of sharedByPair) {
    if (count < minShared) continue;
    const a = Math.floor(pair / total);
    first.push(a);
    second.push(pair - a * total);
    shared.push(count);
  }
  return { first: first.data.subarray(0, first.length), second: second.data.subarray(0, second.length), shared: shared.data.subarray(0, shared.length) };
}

/** Candidate pairs of paragraphs in different sources that share at least `minShared` shingles. */
export function candidatePairs(index: CandidateIndex, options: ShingleOptions): CandidatePairs {
  const owner = paragraphSources(index);
  const total = owner.length;
  const { keys } = shingleKeys(index, total);
  const sharedByPair = new Map<number, number>();
  const group: number[] = [];
  let boilerplate = 0;
  const flush = (): void => {
    if (group.length > options.maxSpread) {
      boilerplate++;
      return;
    }
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        if (owner[group[a]] === owner[group[b]]) continue;
        const pair = group[a] * total + group[b];
        sharedByPair.set(pair, (sharedByPair.get(pair) ?? 0) + 1);
      }
    }
  };
  let shingle = -1;
  for (const key of keys) {
    const hash = Math.floor(key / total);
    const paragraph = key - hash * total;
    if (hash !== shingle) {
      flush();
      group.length = 0;
      shingle = hash;
    }
    // Keys are sorted, so a paragraph repeating a shingle follows itself: it counts once.
    if (group[group.length - 1] !== paragraph) group.push(paragraph);
  }
  flush();
  return { ...pairsSharing(sharedByPair, total, options.minShared), shingles: keys.length, boilerplate };
}

/** Calls `visit` with every shingle of paragraphs `[from, to)` of one source (the hash's kept bits) and its corpus-wide paragraph number. */
function visitShingles(index: CandidateIndex, source: SourceTokens, range: { from: number; to: number }, drop: number, visit: (hash: number, paragraph: number) => void): void {
  const { folded, kinds } = index.vocabulary;
  const window = new Int32Array(SHINGLE_WORDS);
  for (let p = range.from; p < range.to; p++) {
    const end = source.paragraphEndToken(p);
    let words = 0;
    for (let t = source.paragraphFirstToken[p]; t < end; t++) {
      const id = source.ids[t];
      if (kinds[id] !== TokenKind.Word) continue;
      window[words % SHINGLE_WORDS] = folded[id];
      words++;
      if (words >= SHINGLE_WORDS) visit(shingleHash(window, words) >>> drop, source.paragraphBase + p);
    }
  }
}

/** Tokens read between two pauses of `sourceCandidateSteps`: a source of millions of tokens is read in many steps. */
const STEP_TOKENS = 1 << 16;

/** Runs of paragraphs of a source of about `STEP_TOKENS` tokens each (a longer paragraph alone). */
function* paragraphRuns(source: SourceTokens): Generator<{ from: number; to: number }> {
  for (let from = 0; from < source.paragraphCount; ) {
    let to = from;
    let tokens = 0;
    while (to < source.paragraphCount && (to === from || tokens < STEP_TOKENS)) {
      tokens += source.paragraphEndToken(to) - source.paragraphFirstToken[to];
      to++;
    }
    yield { from, to };
    from = to;
  }
}

/** Bits of the filter that most of the corpus's shingles are turned away by before the source's map is asked. */
const FILTER_BITS = 1 << 22;

/** Appends `paragraph` to the hash's list unless it ends it already (a paragraph's shingles arrive together). */
function addParagraph(lists: Map<number, number[]>, hash: number, paragraph: number): void {
  const list = lists.get(hash);
  if (!list) lists.set(hash, [paragraph]);
  else if (list[list.length - 1] !== paragraph) list.push(paragraph);
}

/**
 * The candidates `candidatePairs` finds that have a paragraph in one source
 * (by ordinal), without sorting the whole corpus: that source's shingles are
 * hashed, every other source's are looked up among them, and the same rules
 * (boilerplate spread, shingles shared) make the pairs. Yields after every
 * run of paragraphs read (`STEP_TOKENS`), so a caller that must stay
 * responsive can let other work in.
 */
export function* sourceCandidateSteps(index: CandidateIndex, ordinal: number, options: ShingleOptions): Generator<void, CandidatePairs> {
  const total = index.sources.reduce((sum, source) => sum + source.paragraphCount, 0);
  const drop = 32 - hashBitsFor(total);
  const own = new Map<number, number[]>();
  const filter = new Uint8Array(FILTER_BITS >>> 3);
  let shingles = 0;
  const chosen = index.sources[ordinal];
  visitShingles(index, chosen, { from: 0, to: chosen.paragraphCount }, drop, (hash, paragraph) => {
    shingles++;
    addParagraph(own, hash, paragraph);
    const bit = hash & (FILTER_BITS - 1);
    filter[bit >>> 3] |= 1 << (bit & 7);
  });
  const others = new Map<number, number[]>();
  const lookUp = (hash: number, paragraph: number): void => {
    const bit = hash & (FILTER_BITS - 1);
    if ((filter[bit >>> 3] & (1 << (bit & 7))) !== 0 && own.has(hash)) addParagraph(others, hash, paragraph);
  };
  for (const source of index.sources) {
    if (source.ordinal === ordinal) continue;
    for (const run of paragraphRuns(source)) {
      visitShingles(index, source, run, drop, lookUp);
      yield;
    }
  }
  const sharedByPair = new Map<number, number>();
  let boilerplate = 0;
  for (const [hash, mine] of own) {
    const theirs = others.get(hash) ?? [];
    if (mine.length + theirs.length > options.maxSpread) {
      boilerplate++;
      continue;
    }
    for (const a of mine) {
      for (const b of theirs) {
        const pair = Math.min(a, b) * total + Math.max(a, b);
        sharedByPair.set(pair, (sharedByPair.get(pair) ?? 0) + 1);
      }
    }
  }
  return { ...pairsSharing(sharedByPair, total, options.minShared), shingles, boilerplate };
}
