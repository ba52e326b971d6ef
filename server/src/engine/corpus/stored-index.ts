import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { CorpusIndex, hashOf, IndexedSource, locateIn, Vocabulary, type SpanList, type StoredIds, type VocabularyLayer } from './index.js';
import type { ParagraphText, PlainTextLayout } from './paragraphs.js';
import { TokenKind } from '../text/tokens.js';
import type { CandidateIndex, SourceTokens, TokenVocabulary } from './store.js';

/**
 * The corpus index as one file of segments. A segment holds some sources'
 * tokens, the postings of those tokens, and the vocabulary entries it added;
 * the first build writes one segment, and a changed or added source is
 * appended as a segment of its own (its older tokens, in an earlier segment,
 * are left unused until the file is compacted). Nothing big is parsed: the
 * vocabulary, paragraph starts and posting keys are read at open, token ids
 * and positions by offset when a lookup needs them. A file that is short,
 * fails a checksum, or was written by another format version is refused,
 * and the index rebuilt. Nothing is checked that is not read: each
 * segment's table of contents has a CRC-32, and its sections one per block
 * of 64 KiB, checked the first time a block is read (at open for the small
 * parts, at the first lookup that needs them for token ids and positions),
 * so opening costs the same for a corpus of 500 MB as of 50 while no byte
 * is used unchecked.
 *
 *   0  "VBIX"            magic
 *   4  u32 version       FORMAT_VERSION
 *   8  u32 crc32         of bytes 16…end (an appended segment continues it: it tells a writer the file is the one it read)
 *  12  u32 segments      how many segments follow (a file cut at a segment's end is then told from a whole one)
 *  16  segments, each 8-byte aligned:
 *        0 "VSEG", 4 u32 contentsBytes, 8 u32 crc32 of the contents, 12 u32 0 (checked), 16 contents (UTF-8 JSON),
 *        then the sections, 8-byte aligned, from the first section's start to the segment's end in blocks
 */
const FORMAT_VERSION = 3;
const MAGIC = 0x58494256; // "VBIX" read as a little-endian u32
const SEGMENT_MAGIC = 0x47455356; // "VSEG"
const HEADER = 16;
const SEGMENT_HEADER = 16;
/** The sections are checked in blocks of this many bytes: a lookup reads and checks at most a block more than it needs. */
const BLOCK = 1 << 16;

/** One source as the stored index knows it: where it was read and what its text hashed to. */
export interface StoredSourceEntry {
  readonly path: string;
  /** Content hash of the text that was indexed (see `contentHash`). */
  readonly hash: string;
  readonly markdown: boolean;
  /** The file's size and modification time when it was read: a file whose stat still says so is not read again. */
  readonly size?: number;
  readonly mtimeMs?: number;
  readonly tokens: number;
  readonly paragraphs: number;
}

/** What the index writer is told of each source. */
export interface SourceStamp {
  readonly path: string;
  readonly hash: string;
  readonly markdown: boolean;
  readonly size?: number;
  readonly mtimeMs?: number;
}

const SECTIONS = ['vocabularyText', 'vocabularyStart', 'kinds', 'folded', 'hashes', 'table', 'ids', 'paragraphFirstToken', 'postingKeys', 'postingStart', 'postingData'] as const;
type SectionName = (typeof SECTIONS)[number];

interface SegmentContents {
  /** The segment's length in bytes, header included. */
  readonly bytes: number;
  readonly sources: readonly StoredSourceEntry[];
  /** The vocabulary ids this segment added: `first`…`first + count - 1`. */
  readonly vocabulary: { readonly first: number; readonly count: number };
  /** Byte offset (from the segment's start) and length of each section. */
  readonly sections: Readonly<Record<SectionName, readonly [number, number]>>;
  /** The CRC-32 of each `BLOCK` bytes of the sections, from the first section's start to the segment's end. */
  readonly blocks: readonly number[];
}

/** The hash a source's text is known by: a changed text is indexed again, an unchanged one reused. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Typed arrays view the file's bytes in the machine's order: the format is little-endian, so a big-endian machine rebuilds. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What a segment is made of. */
export interface SegmentInput {
  readonly sources: readonly StoredSourceEntry[];
  /** The vocabulary entries the segment adds (ids from `first` on), with their lookup table. */
  readonly vocabulary: {
    readonly first: number;
    readonly texts: readonly string[];
    readonly kinds: Uint8Array;
    readonly folded: Int32Array;
    readonly hashes: ArrayLike<number>;
    readonly table: Int32Array;
  };
  /** Every source's token ids, one after the other. */
  readonly ids: Int32Array;
  readonly paragraphFirstToken: Int32Array;
  /** Lower-cased word ids that occur, ascending; word `keys[k]`'s positions in the segment are `data[start[k]…start[k + 1])`. */
  readonly postings: { readonly keys: Int32Array; readonly start: Int32Array; readonly data: Int32Array };
}

/** A segment as bytes, to be written whole or appended to an index file. */
export function encodeSegment(input: SegmentInput): Buffer {
  const vocabularyStart = new Int32Array(input.vocabulary.texts.length + 1);
  input.vocabulary.texts.forEach((text, i) => (vocabularyStart[i + 1] = vocabularyStart[i] + text.length));
  const bytes: Record<SectionName, Uint8Array> = {
    vocabularyText: Buffer.from(input.vocabulary.texts.join(''), 'utf16le'),
    vocabularyStart: asBytes(vocabularyStart),
    kinds: input.vocabulary.kinds,
    folded: asBytes(input.vocabulary.folded),
    hashes: asBytes(Int32Array.from(input.vocabulary.hashes)),
    table: asBytes(input.vocabulary.table),
    ids: asBytes(input.ids),
    paragraphFirstToken: asBytes(input.paragraphFirstToken),
    postingKeys: asBytes(input.postings.keys),
    postingStart: asBytes(input.postings.start),
    postingData: asBytes(input.postings.data),
  };
  const vocabulary = { first: input.vocabulary.first, count: input.vocabulary.texts.length };
  const layout = (start: number): { sections: Record<SectionName, readonly [number, number]>; end: number } => {
    const sections = {} as Record<SectionName, readonly [number, number]>;
    let at = start;
    for (const name of SECTIONS) {
      sections[name] = [at, bytes[name].byteLength];
      at = align8(at + bytes[name].byteLength);
    }
    return { sections, end: at };
  };
  // The sections' bytes are the same wherever they start (every offset is 8-aligned), so their blocks' checksums are taken once.
  const body = layout(0);
  const sectionBytes = Buffer.alloc(body.end);
  for (const name of SECTIONS) sectionBytes.set(bytes[name], body.sections[name][0]);
  const blocks: number[] = [];
  for (let at = 0; at < sectionBytes.byteLength; at += BLOCK) blocks.push(crc32(sectionBytes.subarray(at, at + BLOCK)));
  const draft = (start: number): Buffer => {
    const { sections, end } = layout(start);
    return Buffer.from(JSON.stringify({ bytes: end, sources: input.sources, vocabulary, sections, blocks } satisfies SegmentContents), 'utf8');
  };
  // The contents hold the sections' offsets, which depend on their own length: a few rounds settle it (it only grows).
  let contents = draft(align8(SEGMENT_HEADER + 64));
  for (;;) {
    const next = draft(align8(SEGMENT_HEADER + contents.byteLength));
    if (align8(SEGMENT_HEADER + next.byteLength) === align8(SEGMENT_HEADER + contents.byteLength)) {
      contents = next;
      break;
    }
    contents = next;
  }
  const start = align8(SEGMENT_HEADER + contents.byteLength);
  const segment = Buffer.alloc(start + sectionBytes.byteLength);
  segment.writeUInt32LE(SEGMENT_MAGIC, 0);
  segment.writeUInt32LE(contents.byteLength, 4);
  segment.writeUInt32LE(crc32(contents), 8);
  contents.copy(segment, SEGMENT_HEADER);
  segment.set(sectionBytes, start);
  return segment;
}

/** A whole index file of the given segments. */
export function encodeIndexFile(segments: readonly Uint8Array[]): Buffer {
  return Buffer.concat([indexHeader(segments), ...segments]);
}

/** The header of an index file of the given segments, their checksum in it. */
export function indexHeader(segments: readonly Uint8Array[]): Buffer {
  let crc = 0;
  for (const segment of segments) crc = crc32(segment, crc);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(FORMAT_VERSION, 4);
  header.writeUInt32LE(crc, 8);
  header.writeUInt32LE(segments.length, 12);
  return header;
}

/** The header of an index file of `previous` segments that `segment` is appended to: its checksum continued over the new bytes. */
export function appendedHeader(previousCrc: number, previous: number, segment: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(FORMAT_VERSION, 4);
  header.writeUInt32LE(crc32(segment, previousCrc), 8);
  header.writeUInt32LE(previous + 1, 12);
  return header;
}

function asBytes(array: Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Why a stored index was not used: said in the log, and the index rebuilt. */
export class StoredIndexError extends Error {}

/** Bytes read by offset: an open index file, or a buffer. */
export interface ByteSource {
  readonly size: number;
  /** Fills `target` with the bytes from `offset` on (throws when they are not all there). */
  readInto(target: Uint8Array, offset: number): void;
}

/** A buffer as a `ByteSource`. */
export class MemoryBytes implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.byteLength;
  }

  readInto(target: Uint8Array, offset: number): void {
    if (offset + target.byteLength > this.bytes.byteLength) throw new StoredIndexError('read past the end of the index');
    target.set(this.bytes.subarray(offset, offset + target.byteLength));
  }
}

function readBytes(source: ByteSource, offset: number, length: number): Uint8Array {
  const target = new Uint8Array(length);
  source.readInto(target, offset);
  return target;
}

function readInt32(source: ByteSource, offset: number, count: number): Int32Array {
  const target = new Int32Array(count);
  source.readInto(new Uint8Array(target.buffer), offset);
  return target;
}

/** The CRC-32 of `source`'s bytes from `from` on, read a block at a time (the file is never held whole). */
function checksumOf(source: ByteSource, from: number, seed = 0): number {
  const block = new Uint8Array(Math.min(1 << 22, Math.max(0, source.size - from)));
  let crc = seed;
  for (let at = from; at < source.size; at += block.byteLength) {
    const part = at + block.byteLength <= source.size ? block : block.subarray(0, source.size - at);
    source.readInto(part, at);
    crc = crc32(part, crc);
  }
  return crc;
}

/** The header's checksum and segment count, after checking the magic and the version. */
function readHeader(source: ByteSource): { crc: number; segments: number } {
  if (!LITTLE_ENDIAN) throw new StoredIndexError('this machine is big-endian; the index format is little-endian');
  if (source.size < HEADER) throw new StoredIndexError('the file is too short to be an index');
  const header = Buffer.from(readBytes(source, 0, HEADER));
  if (header.readUInt32LE(0) !== MAGIC) throw new StoredIndexError('not a Verbatim index file');
  const version = header.readUInt32LE(4);
  if (version !== FORMAT_VERSION) throw new StoredIndexError(`index format version ${version}, expected ${FORMAT_VERSION}`);
  return { crc: header.readUInt32LE(8), segments: header.readUInt32LE(12) };
}

/** The segments read, checked against the number the header gives. */
function counted(segments: StoredSegment[], expected: number): StoredSegment[] {
  if (segments.length !== expected) throw new StoredIndexError(`the index file holds ${segments.length} segments where its header says ${expected}: it was cut short`);
  return segments;
}

/**
 * Reads an index back from `source`: the segments' small parts are read
 * (and checked); token ids and positions stay in `source` (which must not
 * change) until asked for, and are checked then. Throws `StoredIndexError`
 * for anything but a whole file of this format version whose every byte
 * read so far is as written.
 */
export function openStoredIndex(source: ByteSource): StoredIndex {
  const { crc, segments } = readHeader(source);
  return new StoredIndex(source, crc, counted(readSegments(source, HEADER, []), segments));
}

/** An index file this process has just written, whose checksum is `crc`: its segments are read, its bytes not checked again. */
export function openWrittenIndex(source: ByteSource, crc: number): StoredIndex {
  return new StoredIndex(source, crc, readSegments(source, HEADER, []));
}

/**
 * The index `previous` was read from, with the segments appended since: only
 * the new bytes are read and checked (the checksum continues). Undefined when
 * the file is not `previous`'s with segments appended: it is then read whole.
 */
export function extendStoredIndex(previous: StoredIndex, source: ByteSource): StoredIndex | undefined {
  if (previous.damaged) return undefined;
  try {
    const { crc, segments } = readHeader(source);
    if (source.size === previous.size && crc === previous.crc) return previous;
    if (source.size <= previous.size || checksumOf(source, previous.size, previous.crc) !== crc) return undefined;
    return new StoredIndex(source, crc, counted(readSegments(source, previous.size, previous.segments), segments), previous);
  } catch {
    return undefined;
  }
}

function readSegments(source: ByteSource, from: number, earlier: readonly StoredSegment[]): StoredSegment[] {
  const segments = [...earlier];
  for (let at = from; at < source.size; ) {
    const segment = segmentAt(source, at, segments);
    segments.push(segment);
    at += segment.bytes;
  }
  return segments;
}

/** The segment at `at`, following `earlier` (whose vocabulary it continues). */
function segmentAt(source: ByteSource, at: number, earlier: readonly StoredSegment[]): StoredSegment {
  const vocabularyEnd = earlier.length > 0 ? earlier[earlier.length - 1].vocabularyEnd : 0;
  {
    if (at + SEGMENT_HEADER > source.size) throw new StoredIndexError('the index file ends inside a segment');
    const head = Buffer.from(readBytes(source, at, SEGMENT_HEADER));
    if (head.readUInt32LE(0) !== SEGMENT_MAGIC || head.readUInt32LE(12) !== 0) throw new StoredIndexError('the index file’s segments are damaged');
    const contentsLength = head.readUInt32LE(4);
    if (at + SEGMENT_HEADER + contentsLength > source.size) throw new StoredIndexError('the index file ends inside a segment');
    const contentsBytes = readBytes(source, at + SEGMENT_HEADER, contentsLength);
    if (crc32(contentsBytes) !== head.readUInt32LE(8)) throw new StoredIndexError('the index file is damaged (checksum mismatch in a table of contents)');
    let contents: SegmentContents;
    try {
      contents = JSON.parse(Buffer.from(contentsBytes).toString('utf8')) as SegmentContents;
    } catch {
      throw new StoredIndexError('the index file’s table of contents is damaged');
    }
    if (at + contents.bytes > source.size || contents.bytes % 8 !== 0 || contents.bytes <= SEGMENT_HEADER) throw new StoredIndexError('the index file ends inside a segment');
    const sectionsStart = align8(SEGMENT_HEADER + contentsLength);
    if (!Array.isArray(contents.blocks) || contents.blocks.length !== Math.ceil((contents.bytes - sectionsStart) / BLOCK)) {
      throw new StoredIndexError('the index file’s block checksums do not add up');
    }
    if (contents.vocabulary.first !== vocabularyEnd) throw new StoredIndexError('the index file’s vocabulary is out of order');
    return new StoredSegment(new CheckedBytes(source, at + sectionsStart, at + contents.bytes, contents.blocks), at, contents, earlier.length);
  }
}

/**
 * A segment's sections, each block checked against its CRC-32 the first
 * time it is read. A block that fails is never returned: the read throws
 * `StoredIndexError`, and every later read of the index does too.
 */
class CheckedBytes implements ByteSource {
  private readonly checked: Uint8Array;
  /** Called once, with the reason, when a block is found damaged. */
  onDamage: ((reason: string) => void) | undefined;
  private damage: string | undefined;

  constructor(
    private readonly source: ByteSource,
    private readonly from: number,
    private readonly end: number,
    private readonly crcs: readonly number[],
  ) {
    this.checked = new Uint8Array(crcs.length);
  }

  get size(): number {
    return this.end;
  }

  readInto(target: Uint8Array, offset: number): void {
    if (this.damage) throw new StoredIndexError(this.damage);
    const length = target.byteLength;
    if (length === 0) return;
    if (offset < this.from || offset + length > this.end) throw new StoredIndexError('read outside the index file’s segment');
    const first = Math.floor((offset - this.from) / BLOCK);
    const last = Math.floor((offset + length - 1 - this.from) / BLOCK);
    let unchecked = false;
    for (let b = first; b <= last && !unchecked; b++) unchecked = this.checked[b] === 0;
    if (!unchecked) {
      this.source.readInto(target, offset);
      return;
    }
    // The whole blocks, read at once: each unchecked one is checked before any of its bytes is handed out.
    const blockStart = this.from + first * BLOCK;
    const blocks = new Uint8Array(Math.min(this.from + (last + 1) * BLOCK, this.end) - blockStart);
    this.source.readInto(blocks, blockStart);
    for (let b = first; b <= last; b++) {
      if (this.checked[b] === 1) continue;
      const at = (b - first) * BLOCK;
      if (crc32(blocks.subarray(at, at + BLOCK)) !== this.crcs[b]) {
        this.damage = 'the index file is damaged (checksum mismatch)';
        this.onDamage?.(this.damage);
        throw new StoredIndexError(this.damage);
      }
      this.checked[b] = 1;
    }
    target.set(blocks.subarray(offset - blockStart, offset - blockStart + length));
  }
}

/** One segment of an index file: its small parts in memory, its ids and positions read when asked for. */
export class StoredSegment {
  readonly sources: readonly StoredSourceEntry[];
  /** Each source's first token and first paragraph in the segment's own numbering. */
  readonly tokenBase: Int32Array;
  private readonly paragraphBase: Int32Array;
  private readonly firstsAt: number;
  private readonly keys: Int32Array;
  private readonly starts: Int32Array;
  private readonly idsAt: number;
  private readonly dataAt: number;
  readonly vocabulary: { readonly first: number; readonly joined: string; readonly starts: Int32Array; readonly kinds: Uint8Array; readonly folded: Int32Array; readonly hashes: Int32Array; readonly table: Int32Array };
  readonly tokenCount: number;
  /** The segment's length in the file. */
  readonly bytes: number;

  constructor(
    private readonly source: CheckedBytes,
    start: number,
    contents: SegmentContents,
    /** The segment's place in its file (a key for the cache). */
    readonly number: number,
  ) {
    const section = (name: SectionName): [number, number] => {
      const [offset, length] = contents.sections[name];
      if (offset % 8 !== 0 || offset + length > contents.bytes) throw new StoredIndexError(`the index file’s ${name} section is out of bounds`);
      return [start + offset, length];
    };
    const int32 = (name: SectionName): Int32Array => {
      const [offset, length] = section(name);
      return readInt32(source, offset, length / 4);
    };
    const [textOffset, textLength] = section('vocabularyText');
    const [kindsOffset, kindsLength] = section('kinds');
    this.vocabulary = {
      first: contents.vocabulary.first,
      joined: Buffer.from(readBytes(source, textOffset, textLength)).toString('utf16le'),
      starts: int32('vocabularyStart'),
      kinds: readBytes(source, kindsOffset, kindsLength),
      folded: int32('folded'),
      hashes: int32('hashes'),
      table: int32('table'),
    };
    const count = contents.vocabulary.count;
    if (this.vocabulary.starts.length !== count + 1 || this.vocabulary.kinds.length !== count || this.vocabulary.folded.length !== count || this.vocabulary.hashes.length !== count) {
      throw new StoredIndexError('the index file’s vocabulary does not add up');
    }
    this.sources = contents.sources;
    this.bytes = contents.bytes;
    this.firstsAt = section('paragraphFirstToken')[0];
    this.keys = int32('postingKeys');
    this.starts = int32('postingStart');
    this.idsAt = section('ids')[0];
    this.dataAt = section('postingData')[0];
    this.tokenBase = new Int32Array(this.sources.length + 1);
    this.paragraphBase = new Int32Array(this.sources.length + 1);
    this.sources.forEach((entry, k) => {
      this.tokenBase[k + 1] = this.tokenBase[k] + entry.tokens;
      this.paragraphBase[k + 1] = this.paragraphBase[k] + entry.paragraphs;
    });
    this.tokenCount = this.tokenBase[this.sources.length];
    if (this.tokenCount * 4 !== section('ids')[1] || this.paragraphBase[this.sources.length] * 4 !== section('paragraphFirstToken')[1]) {
      throw new StoredIndexError('the index file’s sources do not add up to its token arrays');
    }
    if (this.starts.length !== this.keys.length + 1 || this.starts[this.keys.length] * 4 !== section('postingData')[1]) {
      throw new StoredIndexError('the index file’s postings do not add up');
    }
  }

  /** Called once, with the reason, when a block of the segment is found damaged. */
  set onDamage(listener: (reason: string) => void) {
    this.source.onDamage = listener;
  }

  get vocabularyEnd(): number {
    return this.vocabulary.first + this.vocabulary.starts.length - 1;
  }

  /** Source `k`'s token ids, read from the file (through `cache`) when asked for. */
  idsOf(k: number, cache: ArrayCache): StoredIds {
    const count = this.sources[k].tokens;
    const offset = this.idsAt + this.tokenBase[k] * 4;
    const key = `i${this.number}:${k}`;
    return { count, load: () => cache.get(key, () => readInt32(this.source, offset, count)) };
  }

  /** Source `k`'s paragraph starts, read from the file (through `cache`) when asked for: at 500 MB they are 60 MB, not read at open. */
  paragraphFirstTokenOf(k: number, cache: ArrayCache): StoredIds {
    const count = this.paragraphBase[k + 1] - this.paragraphBase[k];
    const offset = this.firstsAt + this.paragraphBase[k] * 4;
    const key = `f${this.number}:${k}`;
    return { count, load: () => cache.get(key, () => readInt32(this.source, offset, count)) };
  }

  /** Where a lower-cased word's postings are in `postingStart`, or -1 when it does not occur here. */
  private keyOf(foldedId: number): number {
    const keys = this.keys;
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (keys[mid] < foldedId) low = mid + 1;
      else if (keys[mid] > foldedId) high = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** How often a lower-cased word occurs in the segment (nothing is read). */
  count(foldedId: number): number {
    const k = this.keyOf(foldedId);
    return k < 0 ? 0 : this.starts[k + 1] - this.starts[k];
  }

  /** The segment-local positions of a lower-cased word, ascending (empty when it does not occur here). */
  positions(foldedId: number, cache: ArrayCache): Int32Array {
    const k = this.keyOf(foldedId);
    if (k < 0) return EMPTY;
    const from = this.starts[k];
    const count = this.starts[k + 1] - from;
    return cache.get(`p${this.number}:${foldedId}`, () => readInt32(this.source, this.dataAt + from * 4, count));
  }
}

const EMPTY: Int32Array = new Int32Array(0);

/**
 * What was read from disk (token ids, positions, a source's text and
 * paragraphs), kept while it fits a budget of bytes and dropped least
 * recently used first: a corpus is read as lookups need it, never all at once.
 */
export class SizedCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly budget: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string, read: () => V): V {
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known.value;
    }
    const value = read();
    const bytes = this.sizeOf(value);
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.budget || oldKey === key) break;
      this.entries.delete(oldKey);
      this.bytes -= old.bytes;
    }
    return value;
  }
}

export type ArrayCache = SizedCache<Int32Array>;

function arrayCache(budget: number): ArrayCache {
  return new SizedCache<Int32Array>(budget, (array) => array.byteLength);
}

/** How many bytes of token ids and positions a stored index keeps in memory. */
const CACHE_BYTES = 48 << 20;
/** How many bytes of source text (two a character), and of paragraphs, a stored index keeps in memory. */
const TEXT_CACHE_BYTES = 64 << 20;

/** The vocabulary of every segment, one after another: looked up through each segment's table. */
class StoredVocabulary implements TokenVocabulary, VocabularyLayer {
  readonly kinds: Uint8Array;
  readonly folded: Int32Array;
  private readonly parts: StoredSegment['vocabulary'][];

  constructor(segments: readonly StoredSegment[]) {
    this.parts = segments.map((s) => s.vocabulary).filter((v) => v.kinds.length > 0);
    const size = segments.length > 0 ? segments[segments.length - 1].vocabularyEnd : 0;
    this.kinds = new Uint8Array(size);
    this.folded = new Int32Array(size);
    for (const part of this.parts) {
      this.kinds.set(part.kinds, part.first);
      this.folded.set(part.folded, part.first);
    }
  }

  get size(): number {
    return this.kinds.length;
  }

  text(id: number): string {
    const part = this.partOf(id);
    const local = id - part.first;
    return part.joined.slice(part.starts[local], part.starts[local + 1]);
  }

  private partOf(id: number): StoredSegment['vocabulary'] {
    let low = 0;
    let high = this.parts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.parts[mid].first <= id) low = mid;
      else high = mid - 1;
    }
    return this.parts[low];
  }

  lookup(text: string): number {
    return this.findRange(text, 0, text.length, hashOf(text, 0, text.length));
  }

  findRange(source: string, start: number, end: number, hash: number): number {
    const length = end - start;
    for (const part of this.parts) {
      const { table, hashes, starts, joined } = part;
      const mask = table.length - 1;
      for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
        const entry = table[slot];
        if (entry === 0) break;
        const local = entry - 1;
        if (hashes[local] === hash && starts[local + 1] - starts[local] === length && sameRange(joined, starts[local], source, start, length)) return part.first + local;
      }
    }
    return -1;
  }
}

function sameRange(a: string, from: number, b: string, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a.charCodeAt(from + i) !== b.charCodeAt(start + i)) return false;
  return true;
}

/** Where a stored source's tokens are: a segment and the source's place in it. */
export interface StoredRef {
  readonly segment: StoredSegment;
  readonly entry: number;
}

/** An index read from disk: its segments, their sources by path and content hash, and its vocabulary. */
export class StoredIndex {
  private readonly byPath = new Map<string, StoredRef[]>();
  readonly vocabulary: StoredVocabulary;
  readonly cache = arrayCache(CACHE_BYTES);
  /**
   * Source texts and paragraphs read since the file was opened, by path and
   * content hash: kept across reloads of the corpus (see `extendStoredIndex`),
   * within a budget.
   */
  readonly texts: SizedCache<string>;
  readonly paragraphs: SizedCache<readonly ParagraphText[]>;
  /** Plain-text sources' paragraph offsets, laid out to find one paragraph without making the others' objects. */
  readonly layouts: SizedCache<PlainTextLayout>;
  /** Tokens in the file, used or not. */
  readonly tokenCount: number;
  /** Why the file is not to be trusted, once a block of it was found damaged: it is then read afresh, never extended. */
  damaged: string | undefined;
  private readonly damageListeners: ((reason: string) => void)[] = [];

  constructor(
    private readonly source: ByteSource,
    /** The file's checksum (to continue it when a segment is appended). */
    readonly crc: number,
    readonly segments: readonly StoredSegment[],
    previous?: StoredIndex,
  ) {
    this.texts = previous?.texts ?? new SizedCache(TEXT_CACHE_BYTES, (text) => text.length * 2);
    this.paragraphs = previous?.paragraphs ?? new SizedCache(TEXT_CACHE_BYTES, (list) => list.reduce((n, p) => n + p.text.length * 2 + 64, 0));
    this.layouts = previous?.layouts ?? new SizedCache(TEXT_CACHE_BYTES, (layout) => layout.starts.byteLength + layout.ends.byteLength);
    for (const segment of segments) {
      segment.sources.forEach((entry, k) => {
        const refs = this.byPath.get(entry.path) ?? [];
        // The latest segment first: it holds what was read last.
        refs.unshift({ segment, entry: k });
        this.byPath.set(entry.path, refs);
      });
    }
    this.vocabulary = new StoredVocabulary(segments);
    this.tokenCount = segments.reduce((n, s) => n + s.tokenCount, 0);
    this.damaged = previous?.damaged;
    for (const segment of segments) {
      segment.onDamage = (reason) => {
        if (this.damaged) return;
        this.damaged = reason;
        for (const listener of this.damageListeners) listener(reason);
      };
    }
  }

  /** Calls `listener` once when a block of the file is found damaged (a lookup that needed it has failed). */
  whenDamaged(listener: (reason: string) => void): void {
    this.damageListeners.push(listener);
  }

  /** The file's length when read. */
  get size(): number {
    return this.source.size;
  }

  /** Where the tokens of the source at `path` are, if its text is one indexed. */
  tokensOf(path: string, hash: string): StoredRef | undefined {
    return this.byPath.get(path)?.find((ref) => ref.segment.sources[ref.entry].hash === hash);
  }

  /** The stored content hash of the file at `path` if its size and modification time are still those it was last indexed with. */
  unchangedHash(path: string, size: number, mtimeMs: number): string | undefined {
    const latest = this.byPath.get(path)?.[0];
    const entry = latest?.segment.sources[latest.entry];
    return entry && entry.size === size && entry.mtimeMs === mtimeMs ? entry.hash : undefined;
  }
}

/** A source of a `SegmentedIndex`: where its tokens are, and where they stand in the corpus-wide numbering. */
export interface PlacedSource {
  readonly ref: StoredRef;
  readonly tokens: SourceTokens;
}

/**
 * The corpus index over segments: sources in corpus order, each numbered
 * from the end of the one before, whichever segment holds its tokens.
 * A word's positions are each segment's, moved into the corpus-wide
 * numbering (the tokens of sources no longer in the corpus left out) and
 * merged in order, so lookups see exactly what an index built afresh holds.
 */
export class SegmentedIndex implements CandidateIndex {
  readonly sources: readonly SourceTokens[];
  readonly tokenCount: number;
  /** Per segment, each source's corpus-wide base (-1 when unused), and whether the segment is used as it is. */
  private readonly placements: Placement[] = [];
  private readonly merged: ArrayCache;

  constructor(
    readonly vocabulary: TokenVocabulary,
    placed: readonly PlacedSource[],
    segments: readonly StoredSegment[],
    private readonly cache: ArrayCache,
  ) {
    this.sources = placed.map((p) => p.tokens);
    this.tokenCount = placed.reduce((n, p) => n + p.tokens.tokenCount, 0);
    const bases = new Map<StoredSegment, Int32Array>();
    for (const p of placed) {
      let base = bases.get(p.ref.segment);
      if (!base) bases.set(p.ref.segment, (base = new Int32Array(p.ref.segment.sources.length).fill(-1)));
      base[p.ref.entry] = p.tokens.base;
    }
    for (const segment of segments) {
      const base = bases.get(segment);
      if (!base) continue;
      // Used whole, in the same order, with one shift: its positions need only that shift (often none).
      const shift = base[0] - segment.tokenBase[0];
      let whole = true;
      let ordered = true;
      let last = -1;
      for (let k = 0; k < base.length; k++) {
        if (base[k] < 0 || base[k] - segment.tokenBase[k] !== shift) whole = false;
        if (base[k] >= 0) {
          if (base[k] < last) ordered = false;
          last = base[k];
        }
      }
      this.placements.push({ segment, base, shift: whole ? shift : undefined, ordered, unused: undefined });
    }
    this.merged = arrayCache(8 << 20);
  }

  positions(foldedId: number): Int32Array {
    if (foldedId < 0) return EMPTY;
    if (this.placements.length === 1 && this.placements[0].shift === 0) return this.placements[0].segment.positions(foldedId, this.cache);
    return this.merged.get(`m${foldedId}`, () => this.mergedPositions(foldedId));
  }

  private mergedPositions(foldedId: number): Int32Array {
    let result: Int32Array = EMPTY;
    for (const placement of this.placements) {
      const local = placement.segment.positions(foldedId, this.cache);
      if (local.length === 0) continue;
      const moved = corpusPositions(local, placement.segment.tokenBase, placement.base, placement.shift);
      if (!placement.ordered) moved.sort();
      result = result.length === 0 ? moved : mergeAscending(result, moved);
    }
    return result;
  }

  /** Counted from the segments' postings, less the occurrences in sources no longer used: no positions are read. */
  frequency(foldedId: number): number {
    if (foldedId < 0) return 0;
    let n = 0;
    for (const placement of this.placements) {
      const count = placement.segment.count(foldedId);
      if (count === 0) continue;
      n += count;
      if (placement.shift === undefined) n -= (placement.unused ??= this.unusedWords(placement)).get(foldedId) ?? 0;
    }
    return n;
  }

  /** How often each word occurs in a segment's unused sources (read once, when first needed). */
  private unusedWords(placement: Placement): Map<number, number> {
    const counts = new Map<number, number>();
    const { kinds, folded } = this.vocabulary;
    placement.base.forEach((base, k) => {
      if (base >= 0) return;
      for (const id of placement.segment.idsOf(k, this.cache).load()) {
        if (kinds[id] === TokenKind.Word) counts.set(folded[id], (counts.get(folded[id]) ?? 0) + 1);
      }
    });
    return counts;
  }

  locate(position: number): { source: SourceTokens; token: number } {
    return locateIn(this.sources, position);
  }
}

/** A segment as a `SegmentedIndex` uses it. */
interface Placement {
  readonly segment: StoredSegment;
  /** Each source's corpus-wide base, -1 when unused. */
  readonly base: Int32Array;
  /** The one shift of every position, when every source is used in the stored order. */
  readonly shift: number | undefined;
  /** Whether the used sources keep the stored order (else positions are sorted). */
  readonly ordered: boolean;
  unused: Map<number, number> | undefined;
}

/** A segment's positions in the corpus-wide numbering, those of unused sources left out. */
function corpusPositions(local: Int32Array, tokenBase: Int32Array, base: Int32Array, shift: number | undefined): Int32Array {
  if (shift !== undefined) return shift === 0 ? local : local.map((p) => p + shift);
  const out = new Int32Array(local.length);
  let n = 0;
  let k = 0;
  for (const p of local) {
    while (tokenBase[k + 1] <= p) k++;
    if (base[k] >= 0) out[n++] = base[k] + p - tokenBase[k];
  }
  return out.subarray(0, n);
}

function mergeAscending(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) out[n++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  return out;
}


/** What to write to a corpus's index file: the whole file anew, or one segment appended to the file `onto` was read from. */
export type IndexWrite = { readonly whole: () => SegmentInput } | { readonly append: Buffer; readonly onto: StoredIndex };

/** The segment input of a sealed in-memory index holding every source of `stamps` (a first build, or a compaction). */
export function wholeSegment(index: CorpusIndex, stamps: readonly SourceStamp[]): SegmentInput {
  const sources = index.sources.map((s, i): StoredSourceEntry => ({ ...stamps[i], tokens: s.tokenCount, paragraphs: s.paragraphCount }));
  return { sources, vocabulary: wholeVocabulary(index.vocabulary), ...tokenArrays(index), postings: index.sparsePostings };
}

/** Every source's token ids, one after the other, and every paragraph's first token, as a segment holds them. */
export function tokenArrays(index: CorpusIndex): { ids: Int32Array; paragraphFirstToken: Int32Array } {
  const ids = new Int32Array(index.tokenCount);
  const firsts = new Int32Array(index.sources.reduce((n, s) => n + s.paragraphCount, 0));
  let paragraphs = 0;
  for (const source of index.sources) {
    ids.set(source.ids, source.base);
    firsts.set(source.paragraphFirstToken, paragraphs);
    paragraphs += source.paragraphCount;
  }
  return { ids, paragraphFirstToken: firsts };
}

/** A vocabulary written whole, from id 0: its own entries when it has no stored one below, else every entry, with a new table. */
function wholeVocabulary(vocabulary: Vocabulary): SegmentInput['vocabulary'] {
  if (vocabulary.first === 0) return vocabulary.added;
  const size = vocabulary.size;
  const texts = Array.from({ length: size }, (_, id) => vocabulary.text(id));
  const hashes = new Int32Array(size);
  let capacity = 1 << 16;
  while (capacity < size * 2) capacity <<= 1;
  const table = new Int32Array(capacity);
  const mask = capacity - 1;
  texts.forEach((text, id) => {
    const hash = hashOf(text, 0, text.length);
    hashes[id] = hash;
    let slot = hash & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = id + 1;
  });
  return { first: 0, texts, kinds: Uint8Array.from({ length: size }, (_, id) => vocabulary.kinds[id]), folded: Int32Array.from({ length: size }, (_, id) => vocabulary.folded[id]), hashes, table };
}

/** Segments a file may have before it is compacted; and the share of unused tokens that compacts it. */
const MAX_SEGMENTS = 16;
const MAX_UNUSED_SHARE = 0.5;

/**
 * Builds a corpus's index over a stored one: sources whose text is stored
 * keep their tokens where they are (read when needed), changed and new
 * sources are tokenised into a new segment, and the whole is numbered in
 * corpus order. What to write back is that one segment, appended, unless the
 * file holds too many segments or too many unused tokens: then it is
 * compacted into one.
 */
export class SegmentedIndexBuilder {
  readonly vocabulary: Vocabulary;
  private readonly fresh: CorpusIndex;
  private readonly placed: { ref?: StoredRef; fresh: number; tokens: IndexedSource }[] = [];
  private tokens = 0;
  private paragraphs = 0;

  constructor(private readonly stored: StoredIndex) {
    this.vocabulary = new Vocabulary(stored.vocabulary);
    this.fresh = new CorpusIndex(this.vocabulary);
  }

  addSource(text: string, spans: SpanList, paragraphs: () => readonly ParagraphText[], markdown: boolean, paragraphAt?: (p: number) => ParagraphText): IndexedSource {
    const added = this.fresh.addSource(text, spans, paragraphs, markdown);
    return this.place(new IndexedSource(this.placed.length, () => text, markdown, paragraphs, this.tokens, this.paragraphs, added.ids, added.paragraphFirstToken, paragraphAt), undefined, added.ordinal);
  }

  addStored(text: () => string, paragraphs: () => readonly ParagraphText[], markdown: boolean, ref: StoredRef, paragraphAt?: (p: number) => ParagraphText): IndexedSource {
    const ids = ref.segment.idsOf(ref.entry, this.stored.cache);
    return this.place(new IndexedSource(this.placed.length, text, markdown, paragraphs, this.tokens, this.paragraphs, ids, ref.segment.paragraphFirstTokenOf(ref.entry, this.stored.cache), paragraphAt), ref, -1);
  }

  private place(tokens: IndexedSource, ref: StoredRef | undefined, fresh: number): IndexedSource {
    this.placed.push({ ref, fresh, tokens });
    this.tokens += tokens.tokenCount;
    this.paragraphs += tokens.paragraphCount;
    return tokens;
  }

  /** The index, and what to write back (nothing when every source was stored). `stamps` are every source's, in order. */
  finish(stamps: readonly SourceStamp[]): { index: SegmentedIndex; write?: IndexWrite } {
    const freshStamps = stamps.filter((_, i) => this.placed[i].ref === undefined);
    let segments = this.stored.segments;
    let appended: Buffer | undefined;
    if (freshStamps.length > 0) {
      this.fresh.seal();
      const sources = this.fresh.sources.map((s, i): StoredSourceEntry => ({ ...freshStamps[i], tokens: s.tokenCount, paragraphs: s.paragraphCount }));
      appended = encodeSegment({ sources, vocabulary: this.vocabulary.added, ...tokenArrays(this.fresh), postings: this.fresh.sparsePostings });
      const segment = segmentAt(new MemoryBytes(appended), 0, segments);
      segments = [...segments, segment];
      for (const p of this.placed) if (!p.ref) p.ref = { segment, entry: p.fresh };
    }
    const placed = this.placed.map((p) => ({ ref: p.ref as StoredRef, tokens: p.tokens }));
    const index = new SegmentedIndex(this.vocabulary, placed, segments, this.stored.cache);
    if (!appended) return { index };
    const fileTokens = segments.reduce((n, s) => n + s.tokenCount, 0);
    const compact = segments.length > MAX_SEGMENTS || fileTokens - index.tokenCount > MAX_UNUSED_SHARE * fileTokens;
    if (!compact) return { index, write: { append: appended, onto: this.stored } };
    return { index, write: { whole: () => this.compacted(stamps) } };
  }

  /** Every source's tokens in one segment, in corpus order: the file compacted. */
  private compacted(stamps: readonly SourceStamp[]): SegmentInput {
    const whole = new CorpusIndex(this.vocabulary);
    for (const p of this.placed) whole.addTokens(() => '', () => [], false, p.tokens.ids, p.tokens.paragraphFirstToken);
    whole.seal();
    return wholeSegment(whole, stamps);
  }
}
