/**
 * Word-level alignment of a quotation against a stretch of source: Gotoh's
 * affine-gap dynamic programming, global in the quotation and local in the
 * source. Affine costs matter here: a silent omission of ten words is one
 * change, not ten, and so is a phrase the writer added or rewrote.
 *
 * A change is a run of substitutions, additions and omissions between matched
 * words, and pays one opening cost however its kinds mix, so the alignment
 * with fewer changes wins: "a python" for "an anaconda" is one change, not an
 * omission reaching a distant "a" and then a second change. Leaving source
 * words out is cheap only as a pure omission; in a change that also replaces
 * words, each source word beyond those the quotation puts in their place costs
 * as much as a word the writer added — a replacement stands in the same place
 * as what it replaces. Where the quotation itself marks an omission (an
 * ellipsis) or a substitution (`[the Taliban]`), skipping source words is free.
 *
 * The ends of the alignment are local, so the quotation's first or last words
 * can be matched across an omission to wherever they next stand ("… by the
 * and" to an "and" twenty words on, "of the and Uzbekistan" to an "of the"
 * two lines up). One or two words framing an omission at the quotation's edge
 * are evidence only as far as they would not recur by chance over the words
 * left out: each of those costs in proportion to how common the framing words
 * are. Common words there are paired with the words in their place instead; a
 * rarer one ("Russia, alongside Pakistan, China, Iran and others, has …")
 * still frames the omission. Leaving out a paragraph break without an
 * ellipsis is a change of its own: a quotation's last word is not matched to
 * the same word a paragraph on. Words a quotation adds after matched words
 * that end the source's sentence are the writer's own ("… a few weeks away
 * from now, the commander said"): they open no change there, so they are not
 * paired with, or matched across an omission to, the next sentence's words.
 */

export type AlignOp =
  /** Quotation token `q` equals source token `s`. */
  | { kind: 'match'; q: number; s: number }
  /** Same word but for letter case. */
  | { kind: 'case'; q: number; s: number }
  /** Quotation token `q` stands where source token `s` is. */
  | { kind: 'substitute'; q: number; s: number }
  /** Quotation token `q` is not in the source (the writer added it). */
  | { kind: 'insert'; q: number }
  /** Source token `s` is not in the quotation (the writer left it out). */
  | { kind: 'omit'; s: number }
  /** Source token `s` is skipped where the quotation marks an omission or substitution. */
  | { kind: 'skip'; s: number };

export interface AlignInput {
  /** Quotation token count. */
  quoteLength: number;
  /** Source token count. */
  sourceLength: number;
  /** How quotation token `q` compares with source token `s`. */
  compare: (q: number, s: number) => 'equal' | 'case' | 'different';
  /** Whether quotation token `q` is a word (punctuation weighs less). */
  isWord: (q: number) => boolean;
  /** Whether source token `s` is a word: a word standing for a mark is a worse substitute than for another word. */
  sourceIsWord: (s: number) => boolean;
  /** Whether the quotation allows skipping source words right after its token `q` (`q = -1`: never at the start). */
  freeAfter: (q: number) => boolean;
  /** The chance that any one source token is quotation token `q`'s word (its share of the corpus; 1 for a mark). */
  recurrence: (q: number) => number;
  /** Whether source token `s` is a mark that ends a sentence. */
  endsSentence: (s: number) => boolean;
  /** Whether source token `s` opens a paragraph. */
  opensParagraph: (s: number) => boolean;
}

export interface Alignment {
  score: number;
  ops: AlignOp[];
}

const MATCH_WORD = 2;
const MATCH_MARK = 0.5;
const CASE_ONLY = 1;
/** Opening a change (after a match, after a marked omission, or at the quotation's start). */
const OPEN = -2.5;
/**
 * Each token of a change, by kind: one substituted word costs OPEN + SUBSTITUTE_EXTEND. A little less than a word
 * with no partner, so that where the evidence is even a word is paired with the source word in its place.
 */
const SUBSTITUTE_EXTEND = -0.9;
/** A word standing for a mark, or a mark for a word. */
const SUBSTITUTE_KIND_EXTEND = -1.9;
/** A word the quotation has and the source does not; and, in a replacement, a source word beyond those replaced. */
const EXTRA_EXTEND = -1;
/** A source word of a pure omission. */
const OMIT_EXTEND = -0.1;
/**
 * Per token left out next to a frame of one or two words at the quotation's edge, times the frame's recurrence:
 * a one-in-eight chance that the frame recurs over the omitted stretch costs as much as a matched word gains.
 */
const EDGE_RECURRENCE = -16;
const NEG = -1e9;

/** The states a cell can be reached in. */
const MATCHED = 0;
/** Quotation token unmatched. */
const INSERTED = 1;
/** Source token skipped: a pure omission, or free where the quotation marks one. */
const SKIPPED = 2;
/** Quotation token paired with a different source token. */
const SUBSTITUTED = 3;
/** Source token left out inside a change that also replaces or adds words. */
const LEFT_OUT = 4;
/** A mark the quotation adds inside a pure omission (the comma that joins what is left): it stays a pure omission. */
const JOINED = 5;
const STATES = 6;
/** Added to a predecessor state in `from`: the cell was reached by swapping two words, from two rows and columns back. */
const SWAPPED = STATES;

/** The dynamic-programming tables of one alignment, each cell `i * width + j`. */
interface Tables {
  readonly score: readonly Float64Array[];
  readonly from: readonly Int8Array[];
  /** Each cell's comparison, so a swap of two words is recognised without comparing them again. */
  readonly relation: Int8Array;
  /** What each source token is (asked once per column, not once per cell). */
  readonly column: Int8Array;
}

/**
 * The tables, reused from alignment to alignment (and grown when one needs
 * more): allocating them afresh for every candidate fragments the heap of a
 * long-running server. Whoever aligns many quotations keeps one workspace —
 * the note checker keeps one per pipeline — and one workspace serves one
 * alignment at a time.
 */
export class AlignWorkspace {
  private tables: Tables = { score: [], from: [], relation: new Int8Array(0), column: new Int8Array(0) };
  private capacity = 0;

  /** Tables of at least `size` cells, scores cleared to "unreached" and the first `width` columns to nothing. */
  cleared(size: number, width: number): Tables {
    if (this.capacity < size) {
      const capacity = Math.max(size, this.capacity * 2, 4096);
      const score: Float64Array[] = [];
      const from: Int8Array[] = [];
      for (let k = 0; k < STATES; k++) {
        score.push(new Float64Array(capacity));
        from.push(new Int8Array(capacity));
      }
      this.tables = { score, from, relation: new Int8Array(capacity), column: new Int8Array(capacity) };
      this.capacity = capacity;
    }
    for (const table of this.tables.score) table.fill(NEG, 0, size);
    this.tables.column.fill(0, 0, width);
    return this.tables;
  }
}

/** What a source token is, as bits of `column`. */
const SOURCE_WORD = 1;
const SENTENCE_END = 2;
const PARAGRAPH_START = 4;

const DIFFERENT = 0;
const EQUAL = 1;
const CASE = 2;
const ENDS = [MATCHED, SUBSTITUTED, INSERTED];

export function align(input: AlignInput, workspace: AlignWorkspace): Alignment | undefined {
  const { quoteLength: m, sourceLength: n } = input;
  if (m === 0 || n === 0) return undefined;
  const width = n + 1;
  const size = (m + 1) * width;
  const { score, from, relation, column } = workspace.cleared(size, width);
  for (let j = 1; j <= n; j++) {
    const s = j - 1;
    column[j] = (input.sourceIsWord(s) ? SOURCE_WORD : 0) | (input.endsSentence(s) ? SENTENCE_END : 0) | (input.opensParagraph(s) ? PARAGRAPH_START : 0);
  }
  const [matched, inserted, skipped, substituted, leftOut, joined] = score;
  // The alignment may start anywhere in the source: an empty prefix of the quotation is a match state at every column.
  for (let j = 0; j <= n; j++) matched[j] = 0;
  const matchGain = (q: number): number => (input.isWord(q) ? MATCH_WORD : MATCH_MARK);
  // From a skip on row i, a change opens afresh where the skip was free (the quotation marked it); after a pure
  // omission it may not continue as a replacement, or the omission's cheap words would pad the replacement.
  const afterSkipOn = (i: number): number => (i >= 1 && input.freeAfter(i - 1) ? OPEN : NEG);

  for (let i = 1; i <= m; i++) {
    const q = i - 1;
    const word = input.isWord(q);
    const insertExtend = word ? EXTRA_EXTEND : EXTRA_EXTEND / 2;
    const free = input.freeAfter(q);
    const omitExtend = OMIT_EXTEND + EDGE_RECURRENCE * edgeFrame(input, i, m);
    const afterSkip = afterSkipOn(i - 1);
    // Only two words swap; the swap is a change of its own, whatever precedes it, so a change cannot pick up
    // two matches for free by reading its neighbours as swapped.
    const swappable = i >= 2 && word && input.isWord(q - 1);
    const swapAfterSkip = afterSkipOn(i - 2) === NEG ? NEG : 0;
    const row = i * width;
    const above = row - width;
    for (let j = 0; j <= n; j++) {
      const here = row + j;
      if (j > 0) {
        const diagonal = above + j - 1;
        const compared = input.compare(q, j - 1);
        // Words left out up to a paragraph's first token leave out the paragraph break too.
        const crossing = (column[j] & PARAGRAPH_START) !== 0 ? OPEN : 0;
        relation[here] = compared === 'equal' ? EQUAL : compared === 'case' ? CASE : DIFFERENT;
        if (compared === 'different') {
          const kind = column[j];
          const extend = word === ((kind & SOURCE_WORD) !== 0) ? SUBSTITUTE_EXTEND : SUBSTITUTE_KIND_EXTEND;
          pick(score, from, here, SUBSTITUTED, extend, matched[diagonal] + OPEN, inserted[diagonal], skipped[diagonal] + afterSkip, substituted[diagonal], leftOut[diagonal] + crossing, NEG);
          // Two neighbouring words in swapped order ("of country the" for "of the country") are one change.
          if (swappable && j >= 2 && relation[here - 1] === EQUAL && relation[above + j] === EQUAL) {
            const before = diagonal - width - 1;
            const swap = best(matched[before], inserted[before], skipped[before] + swapAfterSkip, substituted[before], leftOut[before], NEG);
            if (swap.score + OPEN + 2 * MATCH_WORD > substituted[here]) {
              substituted[here] = swap.score + OPEN + 2 * MATCH_WORD;
              from[SUBSTITUTED][here] = swap.state + SWAPPED;
            }
          }
        } else {
          const gain = compared === 'equal' ? matchGain(q) : CASE_ONLY;
          const skipCrossing = afterSkip === NEG ? crossing : 0;
          pick(score, from, here, MATCHED, gain, matched[diagonal], inserted[diagonal], skipped[diagonal] + skipCrossing, substituted[diagonal], leftOut[diagonal] + crossing, joined[diagonal] + crossing);
        }
      }
      const up = above + j;
      pick(score, from, here, INSERTED, insertExtend, matched[up] + OPEN, inserted[up], skipped[up] + afterSkip, substituted[up], leftOut[up], NEG);
      // A mark added inside a pure omission (after some of its words, before the rest or the next match).
      if (!word && afterSkip === NEG) pick(score, from, here, JOINED, insertExtend, NEG, NEG, skipped[up], NEG, NEG, joined[up]);
      if (j > 0) {
        const left = here - 1;
        if (free) {
          pick(score, from, here, SKIPPED, 0, matched[left], inserted[left], skipped[left], substituted[left], leftOut[left], NEG);
        } else {
          const kind = column[j];
          const crossing = (kind & PARAGRAPH_START) !== 0 ? OPEN : 0;
          pick(score, from, here, SKIPPED, omitExtend + crossing, matched[left] + OPEN, NEG, skipped[left], NEG, NEG, joined[left]);
          const extra = ((kind & SOURCE_WORD) !== 0 ? EXTRA_EXTEND : EXTRA_EXTEND / 2) + crossing;
          pick(score, from, here, LEFT_OUT, extra, NEG, inserted[left], NEG, substituted[left], leftOut[left], NEG);
        }
      }
    }
  }

  // The alignment may end anywhere in the source, after a pair or an unmatched quotation token. Words the
  // quotation adds after matched words that end the source's sentence or paragraph are the writer's own: they stand
  // in no source word's place, so they open no change there and are not paired with the next sentence's words.
  let bestScore = NEG;
  let endJ = 0;
  let endState = MATCHED;
  const last = m * width;
  for (let j = 0; j <= n; j++) {
    for (const k of ENDS) {
      let value = score[k][last + j];
      if (k === INSERTED && j < n && (column[j + 1] & (SENTENCE_END | PARAGRAPH_START)) !== 0 && addedAfterSentence(from, relation, width, m, j)) {
        value -= OPEN;
      }
      if (value > bestScore) {
        bestScore = value;
        endJ = j;
        endState = k;
      }
    }
  }
  const ops: AlignOp[] = [];
  let i = m;
  let j = endJ;
  let state = endState;
  while (i > 0) {
    const previous = from[state][i * width + j];
    if (state === MATCHED) {
      ops.push({ kind: relation[i * width + j] === EQUAL ? 'match' : 'case', q: i - 1, s: j - 1 });
      i--;
      j--;
    } else if (state === SUBSTITUTED && previous >= SWAPPED) {
      ops.push({ kind: 'substitute', q: i - 1, s: j - 1 }, { kind: 'substitute', q: i - 2, s: j - 2 });
      i -= 2;
      j -= 2;
      state = previous - SWAPPED;
      continue;
    } else if (state === SUBSTITUTED) {
      ops.push({ kind: 'substitute', q: i - 1, s: j - 1 });
      i--;
      j--;
    } else if (state === INSERTED || state === JOINED) {
      ops.push({ kind: 'insert', q: i - 1 });
      i--;
    } else {
      ops.push({ kind: state === SKIPPED && input.freeAfter(i - 1) ? 'skip' : 'omit', s: j - 1 });
      j--;
    }
    state = previous;
  }
  ops.reverse();
  return { score: bestScore, ops };
}

/**
 * Whether the unmatched quotation tokens that end the alignment at column `j` are an addition after the source's
 * sentence: they follow a run of at least two matched tokens directly, and the first of them is not the mark that
 * ends the source's sentence (a quotation that has it goes on into the next sentence, and is paired there).
 */
function addedAfterSentence(from: readonly Int8Array[], relation: Int8Array, width: number, m: number, j: number): boolean {
  let i = m;
  while (i > 0 && from[INSERTED][i * width + j] === INSERTED) i--;
  if (i < 3 || from[INSERTED][i * width + j] !== MATCHED) return false;
  return relation[i * width + j + 1] !== EQUAL && from[MATCHED][(i - 1) * width + j] === MATCHED;
}

/**
 * How likely the words framing a pure omission on row `i` (after quotation token i - 1) are to recur by chance, when
 * they are the quotation's first or last one or two tokens. A pure omission on row 1 follows the first token alone
 * (it can only follow a match, and row 1's match starts the alignment); on row m - 1 it is followed by the last token
 * alone (nothing but a match may follow it, and the alignment cannot end in it). On rows 2 and m - 2 the frame is
 * two tokens, or one beside a change, which pays its own opening; the rarer of the two bounds how often they recur.
 */
function edgeFrame(input: AlignInput, i: number, m: number): number {
  let chance = 0;
  if (i === 1) chance += input.recurrence(0);
  else if (i === 2) chance += Math.min(input.recurrence(0), input.recurrence(1));
  if (i === m - 1) chance += input.recurrence(m - 1);
  else if (i === m - 2) chance += Math.min(input.recurrence(m - 2), input.recurrence(m - 1));
  return chance;
}

/** The best of the six predecessors, the first in state order on a tie. */
function best(
  fromMatched: number,
  fromInserted: number,
  fromSkipped: number,
  fromSubstituted: number,
  fromLeftOut: number,
  fromJoined: number,
): { score: number; state: number } {
  let score = fromMatched;
  let state = MATCHED;
  if (fromInserted > score) {
    score = fromInserted;
    state = INSERTED;
  }
  if (fromSkipped > score) {
    score = fromSkipped;
    state = SKIPPED;
  }
  if (fromSubstituted > score) {
    score = fromSubstituted;
    state = SUBSTITUTED;
  }
  if (fromLeftOut > score) {
    score = fromLeftOut;
    state = LEFT_OUT;
  }
  if (fromJoined > score) {
    score = fromJoined;
    state = JOINED;
  }
  return { score, state };
}

/** Sets cell `here` of state `into` to the best predecessor plus `gain`: `best` without its object, for every cell. */
function pick(
  score: readonly Float64Array[],
  from: readonly Int8Array[],
  here: number,
  into: number,
  gain: number,
  fromMatched: number,
  fromInserted: number,
  fromSkipped: number,
  fromSubstituted: number,
  fromLeftOut: number,
  fromJoined: number,
): void {
  let value = fromMatched;
  let state = MATCHED;
  if (fromInserted > value) {
    value = fromInserted;
    state = INSERTED;
  }
  if (fromSkipped > value) {
    value = fromSkipped;
    state = SKIPPED;
  }
  if (fromSubstituted > value) {
    value = fromSubstituted;
    state = SUBSTITUTED;
  }
  if (fromLeftOut > value) {
    value = fromLeftOut;
    state = LEFT_OUT;
  }
  if (fromJoined > value) {
    value = fromJoined;
    state = JOINED;
  }
  score[into][here] = value + gain;
  from[into][here] = state;
}
