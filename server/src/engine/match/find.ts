import type { CandidateIndex, SourceTokens, TokenVocabulary } from '../corpus/store.js';
import { flipFirstLetterCase, TokenKind } from '../text/tokens.js';
import { MAX_BRACKET_WORDS, plausibleReplacement, type PatternElement, type PatternPiece } from './pattern.js';
import { keepShifted } from './postings.js';

/** Tokens a bracketed substitution may stand for: five words and (generously) the marks among them. */
const MAX_GAP_TOKENS = 20;

/** A pattern element resolved against the corpus vocabulary. */
interface CompiledToken {
  kind: 'token';
  /** Source token ids accepted as equal. */
  ids: number[];
  /** When set, any id whose lower-cased form is this id is accepted. */
  foldedId: number;
  isWord: boolean;
}

/** A bracket: the words it is written with, to tell what source words it may stand for. */
type CompiledElement = CompiledToken | { kind: 'gap'; words: readonly string[] };

/** Where a quotation stands in a source: one token span per piece (pieces are separated by omissions). */
export interface Occurrence {
  readonly source: SourceTokens;
  readonly spans: readonly { start: number; end: number }[];
  /** The source tokens each bracketed substitution stands in for, in the pattern's order (absent when it has none). */
  readonly brackets?: readonly { start: number; end: number }[];
}

export function occurrenceStart(o: Occurrence): number {
  return o.spans[0].start;
}

export function occurrenceEnd(o: Occurrence): number {
  return o.spans[o.spans.length - 1].end;
}

function compile(element: PatternElement, vocabulary: TokenVocabulary): CompiledElement {
  if (element.kind === 'gap') return { kind: 'gap', words: element.words };
  const id = vocabulary.lookup(element.text);
  const lowered = vocabulary.lookup(element.text.toLowerCase());
  const ids = id >= 0 ? [id] : [];
  if (element.caseInsensitive === 'first') {
    const flipped = vocabulary.lookup(flipFirstLetterCase(element.text));
    if (flipped >= 0) ids.push(flipped);
  }
  return {
    kind: 'token',
    ids,
    foldedId: element.caseInsensitive === 'all' ? lowered : -2,
    isWord: element.isWord,
  };
}

function accepts(token: CompiledToken, id: number, vocabulary: TokenVocabulary): boolean {
  return token.ids.includes(id) || (token.foldedId >= 0 && vocabulary.folded[id] === token.foldedId);
}

/** How far (in tokens) a later piece may be searched for: the rest of this paragraph and the next. */
function searchLimit(source: SourceTokens, fromToken: number): number {
  const paragraph = source.paragraphIndexOf(Math.max(0, fromToken - 1));
  return source.paragraphEndToken(Math.min(paragraph + 1, source.paragraphCount - 1));
}

/** A piece's rarest word in its leading run (before any gap): where to look it up from. */
interface Anchor {
  /** Index of the word in the piece. */
  offset: number;
  /** Its corpus-wide positions, ascending. */
  positions: Int32Array;
}

function anchorOf(index: CandidateIndex, piece: CompiledElement[]): Anchor | undefined {
  const vocabulary = index.vocabulary;
  let best: Anchor | undefined;
  for (let k = 0; k < piece.length; k++) {
    const element = piece[k];
    if (element.kind === 'gap') break;
    if (!element.isWord) continue;
    const folded = element.foldedId >= 0 ? element.foldedId : vocabulary.folded[element.ids[0]];
    if (!best || index.frequency(folded) < best.positions.length) best = { offset: k, positions: index.positions(folded) };
  }
  return best;
}

/** The first index in ascending `positions` at or after `value`. */
function lowerBound(positions: Int32Array, value: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (positions[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

class PieceMatcher {
  constructor(
    private readonly vocabulary: TokenVocabulary,
    private readonly source: SourceTokens,
    /** Anchors of the pieces after the first (undefined where a piece has no word to anchor on). */
    private readonly anchors: readonly (Anchor | undefined)[],
  ) {}

  /** Matches `piece` starting at token `t`; returns the end token, or -1. `gaps`, when given, receives each gap's tokens (last first). */
  matchAt(piece: CompiledElement[], e: number, t: number, gaps?: { start: number; end: number }[]): number {
    const ids = this.source.ids;
    for (; e < piece.length; e++) {
      const element = piece[e];
      if (element.kind === 'gap') {
        // The writer's `[words]` stand for no source words or a few that name what they name.
        let words = 0;
        for (let skip = t; skip <= ids.length && words <= MAX_BRACKET_WORDS; skip++) {
          if (this.mayReplace(element.words, t, skip)) {
            const end = this.matchAt(piece, e + 1, skip, gaps);
            if (end >= 0) {
              gaps?.push({ start: t, end: skip });
              return end;
            }
          }
          if (skip < ids.length && this.vocabulary.kinds[ids[skip]] === TokenKind.Word) words++;
        }
        return -1;
      }
      if (t >= ids.length || !accepts(element, ids[t], this.vocabulary)) return -1;
      t++;
    }
    return t;
  }

  /** Whether a bracket written with `words` may stand for source tokens `[from, to)`: within a paragraph, and plausibly (see `plausibleReplacement`). */
  private mayReplace(words: readonly string[], from: number, to: number): boolean {
    if (to <= from) return true;
    if (this.source.paragraphIndexOf(from) !== this.source.paragraphIndexOf(to - 1)) return false;
    const replaced: { text: string; isWord: boolean }[] = [];
    for (let t = from; t < to; t++) {
      const id = this.source.ids[t];
      replaced.push({ text: this.vocabulary.text(id), isWord: this.vocabulary.kinds[id] === TokenKind.Word });
    }
    return plausibleReplacement(replaced, words);
  }

  /** The tokens each gap of `piece` stands in for, matched at `t` exactly as `matchAt` matches it. */
  gapsAt(piece: CompiledElement[], t: number): { start: number; end: number }[] {
    const gaps: { start: number; end: number }[] = [];
    this.matchAt(piece, 0, t, gaps);
    return gaps.reverse();
  }

  /**
   * Matches pieces `p…` in order, each after the previous and close to it.
   * Where a piece has a word to anchor on, only that word's positions in reach
   * are tried (from the postings), not every token of two paragraphs.
   */
  matchRest(pieces: CompiledElement[][], p: number, from: number, spans: { start: number; end: number }[]): boolean {
    if (p === pieces.length) return true;
    const limit = searchLimit(this.source, from);
    const tryAt = (t: number): boolean => {
      const end = this.matchAt(pieces[p], 0, t);
      if (end < 0) return false;
      spans.push({ start: t, end });
      if (this.matchRest(pieces, p + 1, end, spans)) return true;
      spans.pop();
      return false;
    };
    const anchor = this.anchors[p];
    if (!anchor) {
      for (let t = from; t < limit; t++) if (tryAt(t)) return true;
      return false;
    }
    const base = this.source.base;
    for (let i = lowerBound(anchor.positions, base + from + anchor.offset); i < anchor.positions.length; i++) {
      const t = anchor.positions[i] - base - anchor.offset;
      if (t >= limit) break;
      if (tryAt(t)) return true;
    }
    return false;
  }
}

/**
 * The lower-cased id whose postings hold every source token `element` accepts, or -1 when they are not all
 * under one (a word and its case-flipped form that lower-case apart) or not all words (postings hold words only).
 */
function postingsWordOf(element: CompiledToken, vocabulary: TokenVocabulary): number {
  const folded = element.foldedId >= 0 ? element.foldedId : vocabulary.folded[element.ids[0]];
  if (element.foldedId >= 0 && vocabulary.kinds[folded] !== TokenKind.Word) return -1;
  for (const id of element.ids) if (vocabulary.folded[id] !== folded || vocabulary.kinds[id] !== TokenKind.Word) return -1;
  return folded;
}

/** How many sources the anchor leads into before the piece's other words narrow its positions. */
const SOURCES_BEFORE_NARROWING = 4;
/** A narrowing word's postings are read only when they are at most this many times the positions they narrow. */
const NARROWING_RATIO = 64;

/**
 * The anchor's positions at which each other word of the piece's leading run
 * (before any bracket, so at a fixed distance from the anchor) is in place
 * too, by its postings, rarer words first. A match needs every one of them,
 * so the positions left are the ones a match can start from, in their order:
 * a source is read only where all of them meet. A word whose postings are
 * long beside the positions left is not read.
 */
function narrowed(index: CandidateIndex, piece: readonly CompiledElement[], anchor: number, positions: Int32Array): Int32Array {
  const vocabulary = index.vocabulary;
  const words: { shift: number; folded: number; frequency: number }[] = [];
  for (let k = 0; k < piece.length; k++) {
    const element = piece[k];
    if (element.kind === 'gap') break;
    if (k === anchor || !element.isWord) continue;
    const folded = postingsWordOf(element, vocabulary);
    if (folded >= 0) words.push({ shift: k - anchor, folded, frequency: index.frequency(folded) });
  }
  words.sort((a, b) => a.frequency - b.frequency);
  let kept = positions;
  for (const word of words) {
    if (kept.length === 0 || word.frequency > NARROWING_RATIO * kept.length) break;
    kept = keepShifted(kept, index.positions(word.folded), word.shift);
  }
  return kept;
}

export interface FindOptions {
  /** Only sources for which this holds are searched. */
  accept?: (source: SourceTokens) => boolean;
  /** Stop after this many occurrences. */
  limit?: number;
}

/**
 * Finds every place the pieces occur, in order and close together. The search
 * is anchored on the rarest word of the first piece's leading run, read from
 * the postings, so only places sharing that word are ever looked at.
 */
export function findOccurrences(index: CandidateIndex, pieces: readonly PatternPiece[], options: FindOptions = {}): Occurrence[] {
  if (pieces.length === 0 || pieces[0].length === 0) return [];
  const vocabulary = index.vocabulary;
  const compiled = pieces.map((piece) => piece.map((e) => compile(e, vocabulary)));
  const first = compiled[0];
  // A token no source contains can never match.
  if (compiled.some((piece) => piece.some((e) => e.kind === 'token' && e.ids.length === 0 && e.foldedId < 0))) return [];

  // The anchor is the first piece's rarest word, wherever it stands: before a bracketed substitution its
  // distance from the piece's start is fixed; after one it can vary by the gap's length.
  let anchor = -1;
  let anchorFrequency = Infinity;
  let anchorSpread: [number, number] = [0, 0];
  let least = 0;
  let most = 0;
  for (let k = 0; k < first.length; k++) {
    const element = first[k];
    if (element.kind === 'gap') {
      most += MAX_GAP_TOKENS;
      continue;
    }
    if (element.isWord) {
      const folded = element.foldedId >= 0 ? element.foldedId : vocabulary.folded[element.ids[0]];
      const frequency = index.frequency(folded);
      if (frequency < anchorFrequency) {
        anchor = k;
        anchorFrequency = frequency;
        anchorSpread = [least, most];
      }
    }
    least++;
    most++;
  }
  if (anchor < 0) return [];
  const anchorElement = first[anchor] as CompiledToken;
  const anchorFolded = anchorElement.foldedId >= 0 ? anchorElement.foldedId : vocabulary.folded[anchorElement.ids[0]];

  const anchors = compiled.map((piece, p) => (p === 0 ? undefined : anchorOf(index, piece)));
  const withGaps = compiled.some((piece) => piece.some((e) => e.kind === 'gap'));
  const occurrences: Occurrence[] = [];
  const limit = options.limit ?? 100;
  const matchers = new Map<SourceTokens, PieceMatcher>();
  const tried = new Set<number>();
  let positions = index.positions(anchorFolded);
  // With the anchor at a fixed place in the piece, its other words can narrow the positions; worth their
  // postings only once the anchor has led into several sources (each read whole): the cited source alone is not.
  let narrowable = anchorSpread[0] === anchorSpread[1];
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i];
    const { source, token } = index.locate(position);
    if (options.accept && !options.accept(source)) continue;
    let matcher = matchers.get(source);
    if (!matcher) {
      if (narrowable && matchers.size >= SOURCES_BEFORE_NARROWING) {
        narrowable = false;
        positions = narrowed(index, first, anchor, positions.subarray(i));
        i = -1;
        continue;
      }
      matcher = new PieceMatcher(vocabulary, source, anchors);
      matchers.set(source, matcher);
    }
    for (let start = Math.max(0, token - anchorSpread[1]); start <= token - anchorSpread[0]; start++) {
      if (anchorSpread[1] > anchorSpread[0]) {
        if (tried.has(source.base + start)) continue;
        tried.add(source.base + start);
      }
      const end = matcher.matchAt(first, 0, start);
      if (end < 0) continue;
      const spans = [{ start, end }];
      if (!matcher.matchRest(compiled, 1, end, spans)) continue;
      // Re-matching a piece with brackets records what they stand in for, off the search's hot path.
      const m = matcher;
      const brackets = withGaps ? spans.flatMap((span, p) => m.gapsAt(compiled[p], span.start)) : undefined;
      occurrences.push(brackets ? { source, spans, brackets } : { source, spans });
      break;
    }
    if (occurrences.length >= limit) break;
  }
  return occurrences;
}
