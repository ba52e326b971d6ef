/**
 * Word-level alignment of a quotation against a stretch of source: Gotoh's
 * affine-gap dynamic programming, global in the quotation and local in the
 * source. Affine gaps matter here: a silent omission of ten words is one
 * change, not ten, and so is a phrase the writer added. Where the quotation
 * itself marks an omission (an ellipsis) or a substitution (`[the Taliban]`),
 * skipping source words is free.
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
}

export interface Alignment {
  score: number;
  ops: AlignOp[];
}

const MATCH_WORD = 2;
const MATCH_MARK = 0.5;
const CASE_ONLY = 1;
const MISMATCH = -2;
const MISMATCH_KIND = -3;
const OPEN = -2.5;
const INSERT_EXTEND = -1;
const OMIT_EXTEND = -0.1;
const NEG = -1e9;

/**
 * The dynamic-programming tables, reused from call to call (and grown when a
 * call needs more): allocating them afresh for every candidate fragments the
 * heap of a long-running server.
 */
let tables: { score: Float64Array[]; from: Int8Array[]; size: number } = { score: [], from: [], size: 0 };

function workspace(size: number): { score: Float64Array[]; from: Int8Array[] } {
  if (tables.size < size) {
    const capacity = Math.max(size, tables.size * 2, 4096);
    tables = {
      score: [new Float64Array(capacity), new Float64Array(capacity), new Float64Array(capacity)],
      from: [new Int8Array(capacity), new Int8Array(capacity), new Int8Array(capacity)],
      size: capacity,
    };
  }
  for (const table of tables.score) table.fill(NEG, 0, size);
  return tables;
}

/** States: 0 = aligned pair (match/case/substitute), 1 = quotation token unmatched, 2 = source token skipped. */
export function align(input: AlignInput): Alignment | undefined {
  const { quoteLength: m, sourceLength: n } = input;
  if (m === 0 || n === 0) return undefined;
  const width = n + 1;
  const size = (m + 1) * width;
  const { score, from } = workspace(size);
  const at = (i: number, j: number): number => i * width + j;
  // The alignment may start anywhere in the source: an empty prefix of the quotation is state 0 at every column.
  for (let j = 0; j <= n; j++) score[0][at(0, j)] = 0;

  for (let i = 1; i <= m; i++) {
    const q = i - 1;
    const word = input.isWord(q);
    const insertExtend = word ? INSERT_EXTEND : INSERT_EXTEND / 2;
    const free = input.freeAfter(q);
    for (let j = 0; j <= n; j++) {
      const here = at(i, j);
      if (j > 0) {
        const diagonal = at(i - 1, j - 1);
        const relation = input.compare(q, j - 1);
        const mismatch = word === input.sourceIsWord(j - 1) ? MISMATCH : MISMATCH_KIND;
        const gain = relation === 'equal' ? (word ? MATCH_WORD : MATCH_MARK) : relation === 'case' ? CASE_ONLY : mismatch;
        let best = NEG;
        let state = 0;
        for (let k = 0; k < 3; k++) {
          if (score[k][diagonal] > best) {
            best = score[k][diagonal];
            state = k;
          }
        }
        score[0][here] = best + gain;
        from[0][here] = state;
      }
      // Quotation token unmatched.
      const up = at(i - 1, j);
      const open = Math.max(score[0][up], score[2][up]) + OPEN + insertExtend;
      const extend = score[1][up] + insertExtend;
      if (open >= extend) {
        score[1][here] = open;
        from[1][here] = score[0][up] >= score[2][up] ? 0 : 2;
      } else {
        score[1][here] = extend;
        from[1][here] = 1;
      }
      // Source token skipped after quotation token q.
      if (j > 0) {
        const left = at(i, j - 1);
        const omitOpen = Math.max(score[0][left], score[1][left]) + (free ? 0 : OPEN + OMIT_EXTEND);
        const omitExtend = score[2][left] + (free ? 0 : OMIT_EXTEND);
        if (omitOpen >= omitExtend) {
          score[2][here] = omitOpen;
          from[2][here] = score[0][left] >= score[1][left] ? 0 : 1;
        } else {
          score[2][here] = omitExtend;
          from[2][here] = 2;
        }
      }
    }
  }

  // The alignment may end anywhere in the source, after a pair or an unmatched quotation token.
  let best = NEG;
  let endJ = 0;
  let endState = 0;
  for (let j = 0; j <= n; j++) {
    for (const k of [0, 1]) {
      if (score[k][at(m, j)] > best) {
        best = score[k][at(m, j)];
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
    const here = at(i, j);
    const previous = from[state][here];
    if (state === 0) {
      const relation = input.compare(i - 1, j - 1);
      ops.push({ kind: relation === 'equal' ? 'match' : relation === 'case' ? 'case' : 'substitute', q: i - 1, s: j - 1 });
      i--;
      j--;
    } else if (state === 1) {
      ops.push({ kind: 'insert', q: i - 1 });
      i--;
    } else {
      ops.push({ kind: input.freeAfter(i - 1) ? 'skip' : 'omit', s: j - 1 });
      j--;
    }
    state = previous;
  }
  ops.reverse();
  return { score: best, ops };
}
