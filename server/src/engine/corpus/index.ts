import { forEachTokenIn, TokenKind, type TokenValue } from '../text/tokens.js';
import { fileEnd, fileStart, type ParagraphText } from './paragraphs.js';
import { excerpt } from './excerpt.js';
import type { CandidateIndex, SourceTokens, TokenVocabulary } from './store.js';

/** A growable list of integers, stored compactly; `toArray` trims it to size. */
class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }

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

  /** An exact-size copy (the growth slack is released with the list). */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Interns token texts. Every token of every source is stored as an id, and
 * every id knows the id of its lower-cased form, which is what the postings
 * are keyed by (so `The` and `the` share candidates, and the verifier decides
 * whether case may differ). Tokens read straight from a source are looked up
 * by hash and compared in place, so a word seen before costs no new string.
 */
export class Vocabulary implements TokenVocabulary {
  readonly texts: string[] = [];
  readonly kinds: TokenKind[] = [];
  readonly folded: number[] = [];
  private readonly hashes: number[] = [];
  /** Open addressing over the hashes (entries are id + 1, 0 is empty): the only way a text is looked up. */
  private table = new Int32Array(1 << 16);

  /** Ids of one-character tokens by char code: most marks, looked up without hashing. */
  private readonly singles = new Int32Array(0x2100).fill(-1);

  intern(text: string, kind: TokenKind): number {
    if (text.length === 1) {
      const code = text.charCodeAt(0);
      if (code < this.singles.length) {
        const single = this.singles[code];
        if (single >= 0) return single;
        return (this.singles[code] = this.internMap(text, kind));
      }
    }
    return this.internMap(text, kind);
  }

  private internMap(text: string, kind: TokenKind): number {
    const hash = hashOf(text, 0, text.length);
    const known = this.find(text, 0, text.length, hash);
    return known >= 0 ? known : this.add(text, kind, hash);
  }

  /** The id of `source.slice(start, end)` if known, else -1, found without slicing. */
  private find(source: string, start: number, end: number, hash: number): number {
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot];
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.hashes[id] === hash && equalsRange(this.texts[id], source, start, end)) return id;
    }
  }

  /** The id of `source.slice(start, end)`, found without slicing when the token is known. */
  internRange(source: string, start: number, end: number, hash: number, kind: TokenKind): number {
    const known = this.find(source, start, end, hash);
    return known >= 0 ? known : this.intern(source.slice(start, end), kind);
  }

  private add(text: string, kind: TokenKind, hash: number): number {
    const id = this.texts.length;
    this.texts.push(text);
    this.kinds.push(kind);
    this.hashes.push(hash);
    this.folded.push(id);
    this.place(id, hash);
    const lower = text.toLowerCase();
    if (lower !== text) this.folded[id] = this.intern(lower, kind);
    return id;
  }

  private place(id: number, hash: number): void {
    if ((this.texts.length << 1) > this.table.length) {
      const old = this.table;
      this.table = new Int32Array(old.length << 1);
      for (const entry of old) if (entry !== 0) this.place(entry - 1, this.hashes[entry - 1]);
      return this.place(id, hash);
    }
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = id + 1;
  }

  /** The id of `text`, or -1 when no source contains it. */
  lookup(text: string): number {
    return this.find(text, 0, text.length, hashOf(text, 0, text.length));
  }

  /**
   * A vocabulary holding a stored one's tokens under the same ids (its hash
   * table taken over as it is), to add the tokens of changed sources to
   * without renumbering the unchanged ones.
   */
  static seeded(stored: { texts: string[]; kinds: ArrayLike<TokenKind>; folded: ArrayLike<number>; hashes: ArrayLike<number>; table: Int32Array }): Vocabulary {
    const vocabulary = new Vocabulary();
    // One by one: spreading a vocabulary's worth of arguments would overflow the stack.
    for (let id = 0; id < stored.texts.length; id++) {
      vocabulary.texts.push(stored.texts[id]);
      vocabulary.kinds.push(stored.kinds[id]);
      vocabulary.folded.push(stored.folded[id]);
      vocabulary.hashes.push(stored.hashes[id]);
    }
    vocabulary.table = stored.table.slice();
    return vocabulary;
  }

  /** The hash of every token and the open-addressing table over them, for writing the vocabulary to disk. */
  get lookupTable(): { hashes: readonly number[]; table: Int32Array } {
    return { hashes: this.hashes, table: this.table };
  }

  text(id: number): string {
    return this.texts[id];
  }

  get size(): number {
    return this.texts.length;
  }
}

/** The scanner's hash of a token (31-based, 32-bit), the same for a string and a range. */
export function hashOf(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

function equalsRange(known: string, source: string, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known.charCodeAt(i) !== source.charCodeAt(start + i)) return false;
  return true;
}

/** How many paragraphs' token offsets are kept at once (offsets are recomputed on demand). */
const OFFSET_CACHE = 64;

/**
 * One source's tokens as ids. Token offsets in the file are not stored: only
 * a quotation's own stretch ever needs them, so they are recomputed from its
 * paragraph when asked for, keeping the index at about four bytes a token.
 */
export class IndexedSource implements SourceTokens {
  readonly ids: Int32Array;
  /** Index of the first token of each paragraph (parallel to `paragraphs`). */
  readonly paragraphFirstToken: Int32Array;
  private readonly offsets = new Map<number, { starts: Int32Array; ends: Int32Array; count: number }>();

  constructor(
    readonly ordinal: number,
    /** The source file's text, for quoting its exact wording (read when first asked for). */
    private readonly textOf: () => string,
    /** Whether the file is markdown (its markup is not part of its wording). */
    readonly markdown: boolean,
    private readonly paragraphList: () => readonly ParagraphText[],
    /** Position of this source's first token in the corpus-wide numbering. */
    readonly base: number,
    /** Number of this source's first paragraph in the corpus-wide numbering. */
    readonly paragraphBase: number,
    ids: Int32Array,
    paragraphFirstToken: Int32Array,
  ) {
    this.ids = ids;
    this.paragraphFirstToken = paragraphFirstToken;
  }

  get paragraphs(): readonly ParagraphText[] {
    return this.paragraphList();
  }

  get paragraphCount(): number {
    return this.paragraphFirstToken.length;
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

  excerpt(start: number, end: number): string {
    return excerpt(this.textOf(), start, end, this.markdown);
  }

  /** File offset where token `t` starts. */
  tokenStart(t: number): number {
    const p = this.paragraphIndexOf(t);
    const k = t - this.paragraphFirstToken[p];
    return this.paragraphOffsets(p, k).starts[k];
  }

  /** File offset just past token `t`. */
  tokenEnd(t: number): number {
    const p = this.paragraphIndexOf(t);
    const k = t - this.paragraphFirstToken[p];
    return this.paragraphOffsets(p, k).ends[k];
  }

  /**
   * Offsets of paragraph `p`'s tokens, at least up to its token `k`: a long
   * paragraph (a whole file on one line) is re-read only as far as needed.
   */
  private paragraphOffsets(p: number, k: number): { starts: Int32Array; ends: Int32Array; count: number } {
    const known = this.offsets.get(p);
    if (known && k < known.count) return known;
    const paragraph = this.paragraphs[p];
    const total = this.paragraphEndToken(p) - this.paragraphFirstToken[p];
    const count = Math.min(total, Math.max(k + 1 + 256, (known?.count ?? 0) * 2));
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    let n = 0;
    forEachTokenIn(paragraph.text, 0, paragraph.text.length, { decodeEntities: paragraph.map === undefined }, (_value, _kind, start, end) => {
      starts[n] = fileStart(paragraph, start);
      ends[n] = fileEnd(paragraph, end);
      return ++n < count;
    });
    const computed = { starts, ends, count };
    if (this.offsets.size >= OFFSET_CACHE) this.offsets.delete(this.offsets.keys().next().value as number);
    this.offsets.set(p, computed);
    return computed;
  }
}

/**
 * Where each paragraph's prose is, for indexing: the file's own text between
 * two offsets (plain text, no per-paragraph objects), or a mapped prose string.
 */
export interface SpanList {
  readonly count: number;
  readonly decodeEntities: boolean;
  text(i: number): string;
  from(i: number): number;
  to(i: number): number;
}

/**
 * The corpus index: every source tokenised once, and postings from each
 * (lower-cased) word to its positions across the corpus, stored as one array
 * per corpus (positions grouped by word). A lookup starts from the quotation's
 * rarest word, so its cost grows with the quotation and that word's
 * frequency, not with the corpus.
 */
export class CorpusIndex implements CandidateIndex {
  /** A fresh vocabulary, or a stored index's (see `Vocabulary.seeded`) when unchanged sources keep their token ids. */
  constructor(readonly vocabulary: Vocabulary = new Vocabulary()) {}

  readonly sources: IndexedSource[] = [];
  private totalTokens = 0;
  private totalParagraphs = 0;
  private postingStart = new Int32Array(0);
  private postingData = new Int32Array(0);
  private sealed = false;

  addSource(text: string, spans: SpanList, paragraphs: () => readonly ParagraphText[], markdown = false): IndexedSource {
    if (this.sealed) throw new Error('The corpus index is sealed');
    const ids = new IntList(Math.ceil(text.length / 5));
    const firstTokens = new IntList();
    const vocabulary = this.vocabulary;
    const options = { decodeEntities: spans.decodeEntities };
    for (let i = 0; i < spans.count; i++) {
      firstTokens.push(ids.length);
      const spanText = spans.text(i);
      forEachTokenIn(spanText, spans.from(i), spans.to(i), options, (value: TokenValue, kind, start, end, hash) => {
        ids.push(value !== null ? vocabulary.intern(value, kind) : vocabulary.internRange(spanText, start, end, hash, kind));
      });
    }
    return this.addTokens(() => text, paragraphs, markdown, ids.toArray(), firstTokens.toArray());
  }

  /** Adds a source already tokenised (its ids from a stored index with the same vocabulary): nothing is re-read. */
  addTokens(text: () => string, paragraphs: () => readonly ParagraphText[], markdown: boolean, ids: Int32Array, paragraphFirstToken: Int32Array): IndexedSource {
    if (this.sealed) throw new Error('The corpus index is sealed');
    const source = new IndexedSource(this.sources.length, text, markdown, paragraphs, this.totalTokens, this.totalParagraphs, ids, paragraphFirstToken);
    this.totalParagraphs += source.paragraphCount;
    this.sources.push(source);
    this.totalTokens += source.tokenCount;
    return source;
  }

  /** Builds the postings once every source is in: count each word, then place each position. */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    const { folded, kinds } = this.vocabulary;
    const counts = new Int32Array(this.vocabulary.size + 1);
    for (const source of this.sources) {
      const ids = source.ids;
      for (let t = 0; t < ids.length; t++) {
        const id = ids[t];
        if (kinds[id] === TokenKind.Word) counts[folded[id] + 1]++;
      }
    }
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.postingStart = counts;
    const data = new Int32Array(counts[counts.length - 1]);
    const fill = counts.slice(0, counts.length - 1);
    for (const source of this.sources) {
      const ids = source.ids;
      for (let t = 0; t < ids.length; t++) {
        const id = ids[t];
        if (kinds[id] === TokenKind.Word) data[fill[folded[id]]++] = source.base + t;
      }
    }
    this.postingData = data;
  }

  /** The postings as two arrays: word `w`'s positions are `data[start[w]…start[w + 1])`. */
  get postings(): { start: Int32Array; data: Int32Array } {
    return { start: this.postingStart, data: this.postingData };
  }

  positions(foldedId: number): Int32Array {
    return positionsIn(this.postingStart, this.postingData, foldedId);
  }

  frequency(foldedId: number): number {
    return frequencyIn(this.postingStart, foldedId);
  }

  locate(position: number): { source: IndexedSource; token: number } {
    return locateIn(this.sources, position);
  }

  get tokenCount(): number {
    return this.totalTokens;
  }
}

/** Corpus-wide positions of a word, by its lower-cased id, in postings laid out as `CorpusIndex.postings`. */
export function positionsIn(start: Int32Array, data: Int32Array, foldedId: number): Int32Array {
  if (foldedId < 0 || foldedId + 1 >= start.length) return new Int32Array(0);
  return data.subarray(start[foldedId], start[foldedId + 1]);
}

export function frequencyIn(start: Int32Array, foldedId: number): number {
  if (foldedId < 0 || foldedId + 1 >= start.length) return 0;
  return start[foldedId + 1] - start[foldedId];
}

/** The source and token index of a corpus-wide position (sources in `base` order). */
export function locateIn<S extends { readonly base: number }>(sources: readonly S[], position: number): { source: S; token: number } {
  let low = 0;
  let high = sources.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sources[mid].base <= position) low = mid;
    else high = mid - 1;
  }
  const source = sources[low];
  return { source, token: position - source.base };
}
