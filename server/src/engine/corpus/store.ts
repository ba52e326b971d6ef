import type { TokenKind } from '../text/tokens.js';

/**
 * What the matcher asks of a corpus: token ids, postings and paragraph
 * bounds. The in-memory index built at load time and the index read back
 * from disk both implement it, so find/approximate/judge never know which
 * one they are reading.
 */

/** The corpus's interned tokens: ids, their kinds and lower-cased ids, and their text on demand. */
export interface TokenVocabulary {
  /** The id of `text`, or -1 when no source contains it. */
  lookup(text: string): number;
  /** The id of each id's lower-cased form (itself when already lower-case). */
  readonly folded: ArrayLike<number>;
  readonly kinds: ArrayLike<TokenKind>;
  text(id: number): string;
  readonly size: number;
}

/** One source's tokens, as ids, with its paragraph bounds in token numbers. */
export interface SourceTokens {
  /** Position of the source in `Corpus.sources`. */
  readonly ordinal: number;
  /** Position of this source's first token in the corpus-wide numbering. */
  readonly base: number;
  /** Number of this source's first paragraph in the corpus-wide numbering. */
  readonly paragraphBase: number;
  readonly ids: Int32Array;
  /** Index of the first token of each paragraph. */
  readonly paragraphFirstToken: Int32Array;
  readonly paragraphCount: number;
  readonly tokenCount: number;
  /** Index of the paragraph holding token `t`. */
  paragraphIndexOf(t: number): number;
  /** First token after paragraph `p` (or the token count). */
  paragraphEndToken(p: number): number;
  /** File offsets of token `t` (read from the paragraph's text when asked for). */
  tokenStart(t: number): number;
  tokenEnd(t: number): number;
  /** The source's wording between two file offsets, as a reader sees it (see `excerpt`). */
  excerpt(start: number, end: number): string;
}

/** Postings from lower-cased word ids to corpus-wide positions, and the sources they fall in. */
export interface CandidateIndex {
  readonly vocabulary: TokenVocabulary;
  readonly sources: readonly SourceTokens[];
  readonly tokenCount: number;
  /** Corpus-wide positions of a word, by its lower-cased id, ascending. */
  positions(foldedId: number): Int32Array;
  /** How many times a word (by lower-cased id) occurs. */
  frequency(foldedId: number): number;
  /** The source and token index of a corpus-wide position. */
  locate(position: number): { source: SourceTokens; token: number };
}
