import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ExtractedText } from './extracted.js';
import type { ExtractionCache } from './index.js';

/** Whether a parsed cache file has the shape of an extracted text (a file may be truncated or edited). */
function isExtractedText(value: unknown): value is ExtractedText {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { text?: unknown; pages?: unknown };
  if (typeof candidate.text !== 'string') return false;
  if (candidate.pages === undefined) return true;
  return Array.isArray(candidate.pages) && candidate.pages.every((p: unknown) => typeof p === 'object' && p !== null && typeof (p as { label?: unknown }).label === 'string' && typeof (p as { start?: unknown }).start === 'number' && typeof (p as { end?: unknown }).end === 'number');
}

/**
 * Extracted texts as JSON files in a folder, one per document content. A file
 * that cannot be read back whole is ignored (and overwritten): the document is
 * extracted again, never half-trusted.
 */
export class FolderExtractionCache implements ExtractionCache {
  constructor(readonly folder: string) {}

  private pathOf(key: string): string {
    return join(this.folder, `${key}.json`);
  }

  get(key: string): ExtractedText | undefined {
    try {
      const value: unknown = JSON.parse(readFileSync(this.pathOf(key), 'utf8'));
      return isExtractedText(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, extracted: ExtractedText): void {
    try {
      mkdirSync(this.folder, { recursive: true });
      // Written aside and renamed, so a reader never sees half a file.
      const temporary = `${this.pathOf(key)}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(extracted));
      renameSync(temporary, this.pathOf(key));
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
}

/** The per-user cache folder for the command line: `$XDG_CACHE_HOME/verbatim`, else `~/.cache/verbatim`. */
export function userCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'verbatim');
}
