import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** The markdown notes under a path: the file itself, or a folder's `*.md` files, recursively. */
export function collectNotes(path: string, corpusDir: string, into: string[]): void {
  const stats = statSync(path);
  if (!stats.isDirectory()) {
    into.push(path);
    return;
  }
  if (resolve(path) === resolve(corpusDir)) return;
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) collectNotes(child, corpusDir, into);
    else if (/\.(md|markdown)$/i.test(entry.name)) into.push(child);
  }
}

