import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { frequencyIn, hashOf, locateIn, positionsIn, Vocabulary, type CorpusIndex, type IndexedSource } from './index.js';
import type { CandidateIndex, SourceTokens, TokenVocabulary } from './store.js';
import type { TokenKind } from '../text/tokens.js';

/**
 * The corpus index as one file: a fixed header, a small JSON table of
 * contents, and typed-array sections read back as views on the file's bytes
 * (nothing big is parsed). A file that is short, fails its checksum, or was
 * written by another format version is refused, and the index rebuilt.
 *
 *   0  "VBIX"            magic
 *   4  u32 version       FORMAT_VERSION
 *   8  u32 crc32         of bytes 16…end
 *  12  u32 contentsBytes length of the JSON table of contents at 16
 *  16  contents (UTF-8 JSON, padded to 8 bytes), then the sections, each 8-byte aligned
 */
const FORMAT_VERSION = 1;
const MAGIC = 0x58494256; // "VBIX" read as a little-endian u32
const HEADER = 16;

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

interface Contents {
  readonly sources: readonly StoredSourceEntry[];
  /** Byte offset and length of each section. */
  readonly sections: Readonly<Record<SectionName, readonly [number, number]>>;
}

const SECTIONS = ['vocabularyText', 'vocabularyStart', 'kinds', 'folded', 'hashes', 'table', 'ids', 'paragraphFirstToken', 'postingStart', 'postingData'] as const;
type SectionName = (typeof SECTIONS)[number];

/** The hash a source's text is known by: a changed text is indexed again, an unchanged one reused. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Typed arrays view the file's bytes in the machine's order: the format is little-endian, so a big-endian machine rebuilds. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The index of `sources` (in the index's order) as the bytes of one file. */
export function encodeIndex(index: CorpusIndex, sources: readonly SourceStamp[]): Buffer {
  const vocabulary = index.vocabulary;
  const { hashes, table } = vocabulary.lookupTable;
  const vocabularyStart = new Int32Array(vocabulary.size + 1);
  for (let id = 0; id < vocabulary.size; id++) vocabularyStart[id + 1] = vocabularyStart[id] + vocabulary.texts[id].length;
  const ids = new Int32Array(index.tokenCount);
  const firsts = new Int32Array(index.sources.reduce((n, s) => n + s.paragraphCount, 0));
  for (const source of index.sources) {
    ids.set(source.ids, source.base);
    firsts.set(source.paragraphFirstToken, source.paragraphBase);
  }
  const bytes: Record<SectionName, Uint8Array> = {
    vocabularyText: Buffer.from(vocabulary.texts.join(''), 'utf16le'),
    vocabularyStart: asBytes(vocabularyStart),
    kinds: Uint8Array.from(vocabulary.kinds),
    folded: asBytes(Int32Array.from(vocabulary.folded)),
    hashes: asBytes(Int32Array.from(hashes)),
    table: asBytes(table),
    ids: asBytes(ids),
    paragraphFirstToken: asBytes(firsts),
    postingStart: asBytes(index.postings.start),
    postingData: asBytes(index.postings.data),
  };
  const entries: StoredSourceEntry[] = index.sources.map((s, i) => ({ ...sources[i], tokens: s.tokenCount, paragraphs: s.paragraphCount }));
  // The table of contents holds the sections' offsets, which depend on its own length: lay it out with room to spare.
  const draft = (offsets: Record<SectionName, readonly [number, number]>): Buffer => Buffer.from(JSON.stringify({ sources: entries, sections: offsets } satisfies Contents), 'utf8');
  const layout = (start: number): Record<SectionName, readonly [number, number]> => {
    const offsets = {} as Record<SectionName, readonly [number, number]>;
    let at = start;
    for (const name of SECTIONS) {
      offsets[name] = [at, bytes[name].byteLength];
      at = align8(at + bytes[name].byteLength);
    }
    return offsets;
  };
  // Offsets are written as fixed-width-free JSON numbers: a few rounds settle the length (it only grows).
  let contentsLength = draft(layout(align8(HEADER + 64))).byteLength;
  let offsets = layout(align8(HEADER + contentsLength));
  let contents = draft(offsets);
  while (align8(HEADER + contents.byteLength) !== align8(HEADER + contentsLength)) {
    contentsLength = contents.byteLength;
    offsets = layout(align8(HEADER + contentsLength));
    contents = draft(offsets);
  }
  const last = offsets[SECTIONS[SECTIONS.length - 1]];
  const file = Buffer.alloc(align8(last[0] + last[1]));
  file.writeUInt32LE(MAGIC, 0);
  file.writeUInt32LE(FORMAT_VERSION, 4);
  file.writeUInt32LE(contents.byteLength, 12);
  contents.copy(file, HEADER);
  for (const name of SECTIONS) file.set(bytes[name], offsets[name][0]);
  file.writeUInt32LE(crc32(file.subarray(16)), 8);
  return file;
}

function asBytes(array: Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Why a stored index was not used: said in the log, and the index rebuilt. */
export class StoredIndexError extends Error {}

/**
 * Reads an index file's bytes back: the arrays are views on `file` (which must
 * not be changed afterwards). Throws `StoredIndexError` for anything but a
 * whole file of this format version.
 */
export function decodeIndex(file: Uint8Array): StoredIndex {
  if (!LITTLE_ENDIAN) throw new StoredIndexError('this machine is big-endian; the index format is little-endian');
  if (file.byteLength < HEADER) throw new StoredIndexError('the file is too short to be an index');
  // Typed-array views need their element alignment: a file read into a shared pool may start anywhere.
  const bytes = file.byteOffset % 8 === 0 ? file : file.slice();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.readUInt32LE(0) !== MAGIC) throw new StoredIndexError('not a Verbatim index file');
  const version = buffer.readUInt32LE(4);
  if (version !== FORMAT_VERSION) throw new StoredIndexError(`index format version ${version}, expected ${FORMAT_VERSION}`);
  if (crc32(buffer.subarray(16)) !== buffer.readUInt32LE(8)) throw new StoredIndexError('the index file is damaged (checksum mismatch)');
  const contentsLength = buffer.readUInt32LE(12);
  let contents: Contents;
  try {
    contents = JSON.parse(buffer.toString('utf8', HEADER, HEADER + contentsLength)) as Contents;
  } catch {
    throw new StoredIndexError('the index file’s table of contents is damaged');
  }
  const section = (name: SectionName): [number, number] => {
    const [offset, length] = contents.sections[name];
    if (offset % 8 !== 0 || offset + length > buffer.byteLength) throw new StoredIndexError(`the index file’s ${name} section is out of bounds`);
    return [buffer.byteOffset + offset, length];
  };
  const int32 = (name: SectionName): Int32Array => {
    const [offset, length] = section(name);
    return new Int32Array(buffer.buffer, offset, length / 4);
  };
  const [textOffset, textLength] = section('vocabularyText');
  const vocabulary = new StoredVocabulary(
    Buffer.from(buffer.buffer, textOffset, textLength).toString('utf16le'),
    int32('vocabularyStart'),
    new Uint8Array(buffer.buffer, ...section('kinds')),
    int32('folded'),
    int32('hashes'),
    int32('table'),
  );
  return new StoredIndex(contents.sources, vocabulary, int32('ids'), int32('paragraphFirstToken'), int32('postingStart'), int32('postingData'));
}

/** A vocabulary read from disk: its texts one string, looked up through the stored hash table. */
class StoredVocabulary implements TokenVocabulary {
  constructor(
    private readonly joined: string,
    private readonly starts: Int32Array,
    readonly kinds: ArrayLike<TokenKind>,
    readonly folded: Int32Array,
    private readonly hashes: Int32Array,
    private readonly table: Int32Array,
  ) {}

  get size(): number {
    return this.starts.length - 1;
  }

  text(id: number): string {
    return this.joined.slice(this.starts[id], this.starts[id + 1]);
  }

  /** A vocabulary that changed sources' new tokens can be added to, under the same ids. */
  extensible(): Vocabulary {
    return Vocabulary.seeded({ texts: Array.from({ length: this.size }, (_, id) => this.text(id)), kinds: this.kinds, folded: this.folded, hashes: this.hashes, table: this.table });
  }

  lookup(text: string): number {
    const hash = hashOf(text, 0, text.length);
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot];
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.starts[id + 1] - this.starts[id] === text.length && this.joined.startsWith(text, this.starts[id])) return id;
    }
  }
}

/** A stored source's tokens: views on the file, under the stored vocabulary's ids. */
export interface StoredTokens {
  readonly ids: Int32Array;
  readonly paragraphFirstToken: Int32Array;
}

/** An index read from disk: its sources' tokens by path and content hash, and its postings. */
export class StoredIndex {
  private readonly byPath = new Map<string, { entry: StoredSourceEntry; ordinal: number; base: number; paragraphBase: number }>();

  constructor(
    readonly sources: readonly StoredSourceEntry[],
    readonly vocabulary: StoredVocabulary,
    private readonly ids: Int32Array,
    private readonly firsts: Int32Array,
    private readonly postingStart: Int32Array,
    private readonly postingData: Int32Array,
  ) {
    let base = 0;
    let paragraphBase = 0;
    sources.forEach((entry, ordinal) => {
      this.byPath.set(entry.path, { entry, ordinal, base, paragraphBase });
      base += entry.tokens;
      paragraphBase += entry.paragraphs;
    });
    if (base !== ids.length || paragraphBase !== firsts.length) throw new StoredIndexError('the index file’s sources do not add up to its token arrays');
  }

  /** The stored tokens of the source at `path`, if its text is still the one indexed. */
  tokensOf(path: string, hash: string): StoredTokens | undefined {
    const known = this.byPath.get(path);
    if (!known || known.entry.hash !== hash) return undefined;
    return {
      ids: this.ids.subarray(known.base, known.base + known.entry.tokens),
      paragraphFirstToken: this.firsts.subarray(known.paragraphBase, known.paragraphBase + known.entry.paragraphs),
    };
  }

  /** The stored content hash of the file at `path` if its size and modification time are still those it was indexed with. */
  unchangedHash(path: string, size: number, mtimeMs: number): string | undefined {
    const entry = this.byPath.get(path)?.entry;
    return entry && entry.size === size && entry.mtimeMs === mtimeMs ? entry.hash : undefined;
  }

  /** The stored position of the source at `path` (to check that a corpus keeps the stored order). */
  ordinalOf(path: string): number {
    return this.byPath.get(path)?.ordinal ?? -1;
  }

  /** The stored postings over `sources`, which must be the stored sources, in order, unchanged. */
  asIndex(sources: readonly IndexedSource[]): CandidateIndex {
    return new StoredCorpusIndex(this.vocabulary, sources, this.ids.length, this.postingStart, this.postingData);
  }
}

/** The corpus index straight from disk, when no source changed: postings are the file's own. */
class StoredCorpusIndex implements CandidateIndex {
  constructor(
    readonly vocabulary: TokenVocabulary,
    readonly sources: readonly SourceTokens[],
    readonly tokenCount: number,
    private readonly postingStart: Int32Array,
    private readonly postingData: Int32Array,
  ) {}

  positions(foldedId: number): Int32Array {
    return positionsIn(this.postingStart, this.postingData, foldedId);
  }

  frequency(foldedId: number): number {
    return frequencyIn(this.postingStart, foldedId);
  }

  locate(position: number): { source: SourceTokens; token: number } {
    return locateIn(this.sources, position);
  }
}
