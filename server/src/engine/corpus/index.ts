import { forEachTokenIn, TokenKind, type TokenValue } from '../text/tokens.js';
import { fileEnd, fileStart, markdownParagraphs, plainTextLayout, type ParagraphText } from './paragraphs.js';
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
 * A vocabulary already written (an index file's): read-only, looked up by a
 * token's hash and its text in place. A `Vocabulary` built over one gives new
 * tokens the ids after it, so stored token ids stay valid.
 */
export interface VocabularyLayer {
  readonly size: number;
  readonly kinds: Uint8Array;
  readonly folded: Int32Array;
  /** The id of `source.slice(start, end)` (whose hash is `hash`), or -1. */
  findRange(source: string, start: number, end: number, hash: number): number;
  text(id: number): string;
}

/**
 * Interns token texts. Every token of every source is stored as an id, and
 * every id knows the id of its lower-cased form, which is what the postings
 * are keyed by (so `The` and `the` share candidates, and the verifier decides
 * whether case may differ). Tokens read straight from a source are looked up
 * by hash and compared in place, so a word seen before costs no new string.
 * Over a stored vocabulary (`below`), only tokens it lacks are added, numbered
 * after it.
 */
export class Vocabulary implements TokenVocabulary {
  /** The texts of the tokens added here (ids `first`…). */
  readonly texts: string[] = [];
  private kindList: Uint8Array;
  private foldedList: Int32Array;
  private readonly hashes: number[] = [];
  /**
   * Open addressing over the hashes, the only way a text is looked up: each
   * slot is four integers — the hash, the local index + 1 (0 is empty), and
   * where the text's characters are in `chars` and how many — so that a probe
   * reads one slot and the characters it compares, not the text's string.
   */
  private slots = new Int32Array(SLOT * (1 << 14));
  /** Which slot a hash starts at: the top bits of the hash times an odd constant (see `startSlot`). */
  private shift = 32 - 14;
  /** Every added text's characters, one after another. */
  private chars = new Uint16Array(1 << 16);
  private charCount = 0;
  /** The id of this vocabulary's first own token: the stored vocabulary's size. */
  readonly first: number;

  /** Ids of one-character tokens by char code: most marks, looked up without hashing. */
  private readonly singles = new Int32Array(0x2100).fill(-1);

  constructor(private readonly below?: VocabularyLayer) {
    this.first = below?.size ?? 0;
    this.kindList = new Uint8Array(Math.max(1024, this.first * 2));
    this.foldedList = new Int32Array(this.kindList.length);
    if (below) {
      this.kindList.set(below.kinds);
      this.foldedList.set(below.folded);
    }
  }

  get kinds(): ArrayLike<TokenKind> {
    return this.kindList;
  }

  get folded(): ArrayLike<number> {
    return this.foldedList;
  }

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
    if (this.below) {
      const stored = this.below.findRange(source, start, end, hash);
      if (stored >= 0) return stored;
    }
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    const length = end - start;
    for (let slot = startSlot(hash, this.shift); ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = slots[at + 1];
      if (entry === 0) return -1;
      if (slots[at] === hash && slots[at + 3] === length && this.sameChars(slots[at + 2], source, start, length)) return this.first + entry - 1;
    }
  }

  private sameChars(from: number, source: string, start: number, length: number): boolean {
    const chars = this.chars;
    for (let i = 0; i < length; i++) if (chars[from + i] !== source.charCodeAt(start + i)) return false;
    return true;
  }

  /** The id of `source.slice(start, end)`, found without slicing when the token is known. */
  internRange(source: string, start: number, end: number, hash: number, kind: TokenKind): number {
    const known = this.find(source, start, end, hash);
    return known >= 0 ? known : this.intern(source.slice(start, end), kind);
  }

  private add(text: string, kind: TokenKind, hash: number): number {
    const local = this.texts.length;
    const id = this.first + local;
    this.texts.push(text);
    this.hashes.push(hash);
    if (id >= this.kindList.length) {
      const kinds = new Uint8Array(this.kindList.length * 2);
      kinds.set(this.kindList);
      this.kindList = kinds;
      const folded = new Int32Array(kinds.length);
      folded.set(this.foldedList);
      this.foldedList = folded;
    }
    this.kindList[id] = kind;
    this.foldedList[id] = id;
    this.place(local, hash);
    const lower = text.toLowerCase();
    if (lower !== text) {
      // Interning may grow the arrays: the id is taken before the (possibly new) array is written.
      const folded = this.intern(lower, kind);
      this.foldedList[id] = folded;
    }
    return id;
  }

  /** Puts the added text `local` in the table, its characters in `chars`. */
  private place(local: number, hash: number): void {
    const text = this.texts[local];
    if (this.charCount + text.length > this.chars.length) {
      let capacity = this.chars.length << 1;
      while (capacity < this.charCount + text.length) capacity <<= 1;
      const chars = new Uint16Array(capacity);
      chars.set(this.chars.subarray(0, this.charCount));
      this.chars = chars;
    }
    for (let i = 0; i < text.length; i++) this.chars[this.charCount + i] = text.charCodeAt(i);
    if (this.texts.length << 1 > this.slots.length >> 2) this.grow();
    this.fill(local, hash, this.charCount, text.length);
    this.charCount += text.length;
  }

  private fill(local: number, hash: number, from: number, length: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = startSlot(hash, this.shift);
    while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
    const at = slot << 2;
    slots[at] = hash;
    slots[at + 1] = local + 1;
    slots[at + 2] = from;
    slots[at + 3] = length;
  }

  /** Doubles the table: at most half its slots are taken, so that probes stay short. */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length << 1);
    this.shift--;
    for (let at = 0; at < old.length; at += SLOT) if (old[at + 1] !== 0) this.fill(old[at + 1] - 1, old[at], old[at + 2], old[at + 3]);
  }

  /** The hashes of the tokens added here (not the stored ones below), in id order. */
  addedHashes(): Int32Array {
    return Int32Array.from(this.hashes);
  }

  /** The id of `text`, or -1 when no source contains it. */
  lookup(text: string): number {
    return this.find(text, 0, text.length, hashOf(text, 0, text.length));
  }

  /** The tokens added here (not the stored ones below), as written to an index file. */
  get added(): { first: number; texts: readonly string[]; kinds: Uint8Array; folded: Int32Array; hashes: readonly number[]; table: Int32Array } {
    const end = this.first + this.texts.length;
    // The table sized to the entries (the working one starts at 64K slots, too many for a few words).
    let capacity = 8;
    while (capacity < this.texts.length * 2) capacity <<= 1;
    const table = new Int32Array(capacity);
    const mask = capacity - 1;
    this.hashes.forEach((hash, local) => {
      let slot = hash & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = local + 1;
    });
    return { first: this.first, texts: this.texts, kinds: this.kindList.subarray(this.first, end), folded: this.foldedList.subarray(this.first, end), hashes: this.hashes, table };
  }

  text(id: number): string {
    return id < this.first && this.below ? this.below.text(id) : this.texts[id - this.first];
  }

  get size(): number {
    return this.first + this.texts.length;
  }
}

/** Integers a slot of `Vocabulary`'s table takes. */
const SLOT = 4;

/**
 * The slot a hash starts at in a table of `2 ** (32 - shift)` slots:
 * multiplied by an odd constant (the golden ratio's), so that its top bits
 * depend on every character, where the scanner's hash's low bits depend
 * mostly on the last few.
 */
function startSlot(hash: number, shift: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> shift;
}

/** The scanner's hash of a token (31-based, 32-bit), the same for a string and a range. */
export function hashOf(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** A source's token ids kept in an index file: read (or taken from a cache) when asked for. */
export interface StoredIds {
  readonly count: number;
  load(): Int32Array;
}

/** How many paragraphs' token offsets are kept at once (offsets are recomputed on demand). */
const OFFSET_CACHE = 64;

/**
 * An array held in memory, or one read from the index file: the copy last read while the file's cache still keeps
 * it (`held`), else read again. Returns the array and the weak reference to keep for the next call.
 */
function heldOrLoaded(source: Int32Array | StoredIds, held: WeakRef<Int32Array> | undefined): { array: Int32Array; held: WeakRef<Int32Array> | undefined } {
  if (source instanceof Int32Array) return { array: source, held };
  const known = held?.deref();
  if (known) return { array: known, held };
  const array = source.load();
  return { array, held: new WeakRef(array) };
}

/**
 * One source's tokens as ids. Token offsets in the file are not stored: only
 * a quotation's own stretch ever needs them, so they are recomputed from its
 * paragraph when asked for, keeping the index at about four bytes a token.
 */
export class IndexedSource implements SourceTokens {
  readonly tokenCount: number;
  readonly paragraphCount: number;
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
    /** The token ids, or how to read them (an index file's, read when a candidate needs them). */
    private readonly tokenIds: Int32Array | StoredIds,
    /** Index of the first token of each paragraph, or how to read them (an index file's, read when first needed). */
    private readonly paragraphStarts: Int32Array | StoredIds,
    /** Paragraph `p` alone, without laying out the others (a large source has 100,000 paragraphs); else from `paragraphs`. */
    private readonly paragraphAt?: (p: number) => ParagraphText,
  ) {
    this.tokenCount = tokenIds instanceof Int32Array ? tokenIds.length : tokenIds.count;
    this.paragraphCount = paragraphStarts instanceof Int32Array ? paragraphStarts.length : paragraphStarts.count;
  }

  /** The paragraph starts last read, while the cache that holds them keeps them. */
  private loadedStarts: WeakRef<Int32Array> | undefined;

  /** Index of the first token of each paragraph (parallel to `paragraphs`). */
  get paragraphFirstToken(): Int32Array {
    const { array, held } = heldOrLoaded(this.paragraphStarts, this.loadedStarts);
    this.loadedStarts = held;
    return array;
  }

  /** The last ids read, while the cache that holds them keeps them: the matcher reads `ids` once a token. */
  private loaded: WeakRef<Int32Array> | undefined;

  get ids(): Int32Array {
    const { array, held } = heldOrLoaded(this.tokenIds, this.loaded);
    this.loaded = held;
    return array;
  }

  get paragraphs(): readonly ParagraphText[] {
    return this.paragraphList();
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
    const paragraph = this.paragraphAt ? this.paragraphAt(p) : this.paragraphs[p];
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

/** The spans a source's text is tokenised in: its lines (plain text), or its blocks' prose (markdown). */
export function spansOfText(text: string, markdown: boolean): SpanList {
  if (markdown) {
    const parsed = markdownParagraphs(text);
    return { count: parsed.length, decodeEntities: false, text: (i) => parsed[i].text, from: () => 0, to: (i) => parsed[i].text.length };
  }
  const { starts, ends } = plainTextLayout(text);
  return { count: starts.length, decodeEntities: true, text: () => text, from: (i) => starts[i], to: (i) => ends[i] };
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
  private postingStart: Int32Array = new Int32Array(0);
  private postingData: Int32Array = new Int32Array(0);
  private sealed = false;

  addSource(text: string, spans: SpanList, paragraphs: () => readonly ParagraphText[], markdown = false, paragraphAt?: (p: number) => ParagraphText): IndexedSource {
    if (this.sealed) throw new Error('The corpus index is sealed');
    const ids = new IntList(Math.ceil(text.length / 5));
    const firstTokens = new IntList();
    const vocabulary = this.vocabulary;
    const options = { decodeEntities: spans.decodeEntities };
    // One sink for the whole source (not one a paragraph): the span it reads is the one being scanned.
    let spanText = '';
    const sink = (value: TokenValue, kind: TokenKind, start: number, end: number, hash: number): void => {
      ids.push(value !== null ? vocabulary.intern(value, kind) : vocabulary.internRange(spanText, start, end, hash, kind));
    };
    for (let i = 0; i < spans.count; i++) {
      firstTokens.push(ids.length);
      spanText = spans.text(i);
      forEachTokenIn(spanText, spans.from(i), spans.to(i), options, sink);
    }
    return this.addTokens(() => text, paragraphs, markdown, ids.toArray(), firstTokens.toArray(), paragraphAt);
  }

  /** Adds a source already tokenised (its ids from a stored index with the same vocabulary): nothing is re-read. */
  addTokens(
    text: () => string,
    paragraphs: () => readonly ParagraphText[],
    markdown: boolean,
    ids: Int32Array | StoredIds,
    paragraphFirstToken: Int32Array | StoredIds,
    paragraphAt?: (p: number) => ParagraphText,
  ): IndexedSource {
    if (this.sealed) throw new Error('The corpus index is sealed');
    const source = new IndexedSource(this.sources.length, text, markdown, paragraphs, this.totalTokens, this.totalParagraphs, ids, paragraphFirstToken, paragraphAt);
    this.totalParagraphs += source.paragraphCount;
    this.sources.push(source);
    this.totalTokens += source.tokenCount;
    return source;
  }

  /** Builds the postings once every source is in (see `postingsOf`). */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    const { start, data } = postingsOf(this.sources, this.vocabulary.kinds, this.vocabulary.folded, this.vocabulary.size);
    this.postingStart = start;
    this.postingData = data;
  }

  /** The postings as two arrays: word `w`'s positions are `data[start[w]…start[w + 1])`. */
  get postings(): { start: Int32Array; data: Int32Array } {
    return { start: this.postingStart, data: this.postingData };
  }

  /** The postings of the words that occur, keyed by their lower-cased ids in ascending order (for an index file). */
  get sparsePostings(): { keys: Int32Array; start: Int32Array; data: Int32Array } {
    return sparsePostingsOf(this.postingStart, this.postingData);
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

/**
 * The postings of sources' tokens (numbered from each source's `base`) under
 * a vocabulary of `size` entries: count each word, then place each position.
 * Word `w`'s positions are `data[start[w]…start[w + 1])`, ascending.
 */
export function postingsOf(sources: readonly { readonly ids: Int32Array; readonly base: number }[], kinds: ArrayLike<TokenKind>, folded: ArrayLike<number>, size: number): { start: Int32Array; data: Int32Array } {
  const counts = new Int32Array(size + 1);
  for (const source of sources) {
    const ids = source.ids;
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      if (kinds[id] === TokenKind.Word) counts[folded[id] + 1]++;
    }
  }
  for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
  const data = new Int32Array(counts[counts.length - 1]);
  const fill = counts.slice(0, counts.length - 1);
  for (const source of sources) {
    const ids = source.ids;
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      if (kinds[id] === TokenKind.Word) data[fill[folded[id]]++] = source.base + t;
    }
  }
  return { start: counts, data };
}

/** Dense postings (see `postingsOf`) kept for the words that occur only, keyed by their lower-cased ids in ascending order. */
export function sparsePostingsOf(dense: Int32Array, data: Int32Array): { keys: Int32Array; start: Int32Array; data: Int32Array } {
  let words = 0;
  for (let w = 0; w + 1 < dense.length; w++) if (dense[w + 1] > dense[w]) words++;
  const keys = new Int32Array(words);
  const start = new Int32Array(words + 1);
  let k = 0;
  for (let w = 0; w + 1 < dense.length; w++) {
    if (dense[w + 1] === dense[w]) continue;
    keys[k] = w;
    start[k] = dense[w];
    k++;
  }
  start[words] = data.length;
  return { keys, start, data };
}

/** Corpus-wide positions of a word, by its lower-cased id, in postings laid out as `CorpusIndex.postings`. */
function positionsIn(start: Int32Array, data: Int32Array, foldedId: number): Int32Array {
  if (foldedId < 0 || foldedId + 1 >= start.length) return new Int32Array(0);
  return data.subarray(start[foldedId], start[foldedId + 1]);
}

function frequencyIn(start: Int32Array, foldedId: number): number {
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
