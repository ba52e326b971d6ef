import { TokenKind, tokenize } from '../text/tokens.js';
import { fileEnd, fileStart, type ParagraphText } from './paragraphs.js';

/**
 * Interns token texts. Every token of every source is stored as an id, and
 * every id knows the id of its lower-cased form, which is what the postings
 * are keyed by (so `The` and `the` share candidates, and the verifier decides
 * whether case may differ).
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly texts: string[] = [];
  readonly kinds: TokenKind[] = [];
  readonly folded: number[] = [];

  intern(text: string, kind: TokenKind): number {
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    const id = this.texts.length;
    this.ids.set(text, id);
    this.texts.push(text);
    this.kinds.push(kind);
    const lower = text.toLowerCase();
    this.folded.push(lower === text ? id : this.intern(lower, kind));
    return id;
  }

  /** The id of `text`, or -1 when no source contains it. */
  lookup(text: string): number {
    return this.ids.get(text) ?? -1;
  }

  get size(): number {
    return this.texts.length;
  }
}

/** A growable list of integers, stored compactly. */
export class IntList {
  private data = new Int32Array(4);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  at(i: number): number {
    return this.data[i];
  }

  toArray(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** One source's tokens, as ids with their offsets in the source file. */
export class IndexedSource {
  readonly ids: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Index of the first token of each paragraph (parallel to `paragraphs`). */
  readonly paragraphFirstToken: Int32Array;

  constructor(
    readonly ordinal: number,
    /** The source file's text, for quoting its exact wording. */
    readonly text: string,
    /** Whether the file is markdown (its markup is not part of its wording). */
    readonly markdown: boolean,
    readonly paragraphs: readonly ParagraphText[],
    /** Position of this source's first token in the corpus-wide numbering. */
    readonly base: number,
    ids: IntList,
    starts: IntList,
    ends: IntList,
    paragraphFirstToken: IntList,
  ) {
    this.ids = ids.toArray();
    this.starts = starts.toArray();
    this.ends = ends.toArray();
    this.paragraphFirstToken = paragraphFirstToken.toArray();
  }

  get tokenCount(): number {
    return this.ids.length;
  }

  /** Index (into `paragraphs`) of the paragraph holding token `t`. */
  paragraphIndexOf(t: number): number {
    const firsts = this.paragraphFirstToken;
    let low = 0;
    let high = firsts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (firsts[mid] <= t) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** First token after paragraph index `p` (or the token count). */
  paragraphEndToken(p: number): number {
    return p + 1 < this.paragraphFirstToken.length ? this.paragraphFirstToken[p + 1] : this.tokenCount;
  }
}

/**
 * The corpus index: every source tokenised once, and postings from each
 * (lower-cased) word to its positions across the corpus. A lookup starts from
 * the quotation's rarest word, so its cost grows with the quotation and that
 * word's frequency, not with the corpus.
 */
export class CorpusIndex {
  readonly vocabulary = new Vocabulary();
  readonly sources: IndexedSource[] = [];
  private readonly postings = new Map<number, IntList>();
  private totalTokens = 0;

  addSource(text: string, paragraphs: readonly ParagraphText[], markdown = false): IndexedSource {
    const ids = new IntList();
    const starts = new IntList();
    const ends = new IntList();
    const firstTokens = new IntList();
    const base = this.totalTokens;
    for (const paragraph of paragraphs) {
      firstTokens.push(ids.length);
      for (const token of tokenize(paragraph.text, { decodeEntities: paragraph.map === undefined })) {
        const id = this.vocabulary.intern(token.text, token.kind);
        if (token.kind === TokenKind.Word) this.postingList(this.vocabulary.folded[id]).push(base + ids.length);
        ids.push(id);
        starts.push(fileStart(paragraph, token.start));
        ends.push(fileEnd(paragraph, token.end));
      }
    }
    const source = new IndexedSource(this.sources.length, text, markdown, paragraphs, base, ids, starts, ends, firstTokens);
    this.sources.push(source);
    this.totalTokens += ids.length;
    return source;
  }

  private postingList(foldedId: number): IntList {
    let list = this.postings.get(foldedId);
    if (!list) {
      list = new IntList();
      this.postings.set(foldedId, list);
    }
    return list;
  }

  /** Corpus-wide positions of a word, by its lower-cased id. */
  positions(foldedId: number): Int32Array {
    return this.postings.get(foldedId)?.toArray() ?? new Int32Array(0);
  }

  /** How many times a word (by lower-cased id) occurs in the corpus. */
  frequency(foldedId: number): number {
    return this.postings.get(foldedId)?.length ?? 0;
  }

  /** The source and token index of a corpus-wide position. */
  locate(position: number): { source: IndexedSource; token: number } {
    let low = 0;
    let high = this.sources.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.sources[mid].base <= position) low = mid;
      else high = mid - 1;
    }
    const source = this.sources[low];
    return { source, token: position - source.base };
  }

  get tokenCount(): number {
    return this.totalTokens;
  }
}
