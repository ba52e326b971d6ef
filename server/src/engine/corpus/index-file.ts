import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Corpus } from './corpus.js';
import { decodeIndex, encodeIndex, StoredIndexError, type StoredIndex } from './stored-index.js';

/**
 * Where a corpus folder's index is kept: one file per folder, named by a hash
 * of the folder's path, under the cache folder (the editor's storage folder,
 * or the per-user cache for the command line), never beside the user's notes.
 */
export function indexFilePath(cacheFolder: string, corpusDir: string): string {
  const name = createHash('sha1').update(resolve(corpusDir)).digest('hex').slice(0, 20);
  return join(cacheFolder, 'index', `${name}.vbix`);
}

/** What reading an index file gave: the index, or null and why not (no file yet is no problem). */
export interface IndexFileRead {
  stored: StoredIndex | null;
  problem?: string;
}

export function readIndexFile(path: string): IndexFileRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { stored: null };
  }
  try {
    return { stored: decodeIndex(bytes) };
  } catch (error) {
    // Never trusted half-way: the corpus is indexed afresh and the file rewritten.
    if (error instanceof StoredIndexError) return { stored: null, problem: error.message };
    return { stored: null, problem: `the index file cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Writes the corpus's index when it differs from the stored one; says whether it wrote. */
export function writeIndexFile(path: string, corpus: Corpus): boolean {
  const toStore = corpus.origin?.toStore;
  // A corpus still waiting for documents is not the folder's whole index: the complete one is written instead.
  if (!toStore || corpus.pending.size > 0) return false;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    // Written aside and renamed, so a reader never sees half a file.
    writeFileSync(temporary, encodeIndex(toStore.index, toStore.sources));
    renameSync(temporary, path);
    return true;
  } catch {
    // An index that cannot be written only costs time at the next start.
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    return false;
  }
}
