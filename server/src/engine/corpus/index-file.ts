import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Corpus } from './corpus.js';
import { appendedHeader, encodeIndexFile, encodeSegment, extendStoredIndex, indexHeader, MemoryBytes, openStoredIndex, openWrittenIndex, StoredIndexError, type ByteSource, type StoredIndex } from './stored-index.js';

/**
 * Where a corpus folder's index is kept: one file per folder, named by a hash
 * of the folder's path, under the cache folder (the editor's storage folder,
 * or the per-user cache for the command line), never beside the user's notes.
 */
export function indexFilePath(cacheFolder: string, corpusDir: string): string {
  const name = createHash('sha1').update(resolve(corpusDir)).digest('hex').slice(0, 20);
  return join(cacheFolder, 'index', `${name}.vbix`);
}

/**
 * Open index files are read by offset for as long as an index read from them
 * is in use, and closed once it is collected. The descriptor, not the path,
 * is read: a file replaced meanwhile (compacted, or rebuilt by another
 * process) leaves the one being read intact. A process-wide registry, since a
 * corpus has no moment when it is known to be done with.
 */
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** An open index file, read by offset. */
class FileBytes implements ByteSource {
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  readInto(target: Uint8Array, offset: number): void {
    for (let done = 0; done < target.byteLength; ) {
      const read = readSync(this.fd, target, done, target.byteLength - done, offset + done);
      if (read === 0) throw new StoredIndexError('the index file ends early');
      done += read;
    }
  }
}

/** What reading an index file gave: the index, or null and why not (no file yet is no problem). */
export interface IndexFileRead {
  stored: StoredIndex | null;
  problem?: string;
}

/**
 * Reads the index file at `path`. Given the index read from it before, only
 * what was appended since is read and checked. A file found damaged (by a
 * lookup that read a damaged block) is removed, so that the next load builds
 * the index afresh.
 */
export function readIndexFile(path: string, previous?: StoredIndex | null): IndexFileRead {
  const read = openIndexFile(path, previous);
  read.stored?.whenDamaged(() => removeIfSame(path, read.stored?.size ?? -1, read.inode));
  return { stored: read.stored, ...(read.problem !== undefined ? { problem: read.problem } : {}) };
}

/** Removes the file at `path` if it is still the one read (same inode and size): a file rewritten since is another's. */
function removeIfSame(path: string, size: number, inode: number | undefined): void {
  try {
    const now = statSync(path);
    if (now.ino === inode && now.size === size) unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function openIndexFile(path: string, previous?: StoredIndex | null): IndexFileRead & { inode?: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { stored: null };
  }
  const stat = fstatSync(fd);
  const inode = stat.ino;
  if (previous?.damaged) {
    closeSync(fd);
    removeIfSame(path, previous.size, inode);
    return { stored: null, problem: previous.damaged };
  }
  const bytes = new FileBytes(fd, stat.size);
  const extended = previous ? extendStoredIndex(previous, bytes) : undefined;
  if (extended === previous && previous) {
    closeSync(fd);
    return { stored: previous, inode };
  }
  if (extended) {
    openFiles.register(bytes, fd);
    return { stored: extended, inode };
  }
  try {
    const stored = openStoredIndex(bytes);
    openFiles.register(bytes, fd);
    return { stored, inode };
  } catch (error) {
    closeSync(fd);
    // Never trusted half-way: the corpus is indexed afresh and the file rewritten.
    if (error instanceof StoredIndexError) return { stored: null, problem: error.message };
    return { stored: null, problem: `the index file cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Writes what the corpus's index adds to the stored one: a segment appended
 * (the checksum continued, the header rewritten last), or the whole file,
 * written aside and renamed so that a reader never sees half a file. Says
 * whether it wrote.
 */
export function writeIndexFile(path: string, corpus: Corpus): boolean {
  const toStore = corpus.origin?.toStore;
  // A corpus still waiting for documents is not the folder's whole index: the complete one is written instead.
  if (!toStore || corpus.pending.size > 0) return false;
  if ('append' in toStore) return appendSegment(path, toStore.append, toStore.onto);
  return writeWhole(path, () => [encodeIndexFile([encodeSegment(toStore.whole())])]) !== undefined;
}

/** Appends a segment to the file `onto` was read from, if it is still that file. */
function appendSegment(path: string, segment: Buffer, onto: StoredIndex): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r+');
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    // Another writer got there first: what it wrote is read at the next load.
    if (fstatSync(fd).size !== onto.size || header.readUInt32LE(8) !== onto.crc) return false;
    writeSync(fd, segment, 0, segment.byteLength, onto.size);
    writeSync(fd, appendedHeader(onto.crc, onto.segments.length, segment), 0, 16, 0);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes an index file of `segments` (a first build's, made on worker
 * threads) and opens it, its checksum the one just computed, not checked
 * again. The file is the one written even if another process replaces it
 * meanwhile. Held in memory when it cannot be written.
 */
export function writeSegments(path: string, segments: readonly Uint8Array[]): StoredIndex {
  const header = indexHeader(segments);
  const crc = header.readUInt32LE(8);
  const fd = writeWhole(path, () => [header, ...segments], true);
  if (fd === undefined) return openWrittenIndex(new MemoryBytes(Buffer.concat([header, ...segments])), crc);
  const bytes = new FileBytes(fd, fstatSync(fd).size);
  openFiles.register(bytes, fd);
  return openWrittenIndex(bytes, crc);
}

/**
 * Writes a whole index file, aside and renamed so that a reader never sees
 * half a file. Gives the open descriptor when asked to keep it, else -1; undefined when nothing was written.
 */
function writeWhole(path: string, parts: () => readonly Uint8Array[], keep = false): number | undefined {
  // Named by process and at random: two builds of one folder in one process never share a file.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    fd = openSync(temporary, keep ? 'w+' : 'w');
    for (const part of parts()) {
      for (let done = 0; done < part.byteLength; ) done += writeSync(fd, part, done, part.byteLength - done);
    }
    renameSync(temporary, path);
    if (keep) return fd;
    closeSync(fd);
    return -1;
  } catch {
    // An index that cannot be written only costs time at the next start.
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    return undefined;
  }
}
