import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildCorpus, type Corpus, type SourceFile } from './corpus.js';
import type { CorpusProblem } from './bibliography.js';

const SOURCE = /\.(txt|md|markdown)$/i;
const BIBLIOGRAPHY = /\.(json|bib)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface CorpusFiles {
  sources: SourceFile[];
  bibliographies: SourceFile[];
  problems: CorpusProblem[];
}

/** Reads a file as UTF-8 text, or says why it cannot be a source. */
export function readTextFile(path: string): { text: string } | { problem: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { problem: `Cannot read file: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (bytes.includes(0)) return { problem: 'Binary file (it contains NUL bytes); not read as a source' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { problem: 'File is not valid UTF-8; not read as a source' };
  }
}

/** Lists the corpus folder (recursively): source texts and CSL-JSON bibliographies. */
export function readCorpusFiles(dir: string): CorpusFiles {
  const files: CorpusFiles = { sources: [], bibliographies: [], problems: [] };
  const seen = new Set<string>();
  const walk = (folder: string): void => {
    const real = statSync(folder);
    const identity = `${real.dev}:${real.ino}`;
    if (seen.has(identity)) return;
    seen.add(identity);
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          files.problems.push({ path, severity: 'warning', message: 'Broken symbolic link in the corpus folder' });
          continue;
        }
      }
      if (isDirectory) {
        walk(path);
        continue;
      }
      const isSource = SOURCE.test(entry.name) && !/^readme\./i.test(entry.name);
      if (!isSource && !BIBLIOGRAPHY.test(entry.name)) continue;
      if (!isFile) {
        // A pipe or device would block or never end: never read it.
        files.problems.push({ path, severity: 'warning', message: 'Not a regular file (a pipe, socket or device); not read' });
        continue;
      }
      const read = readTextFile(path);
      if ('problem' in read) {
        files.problems.push({ path, severity: 'error', message: read.problem });
        continue;
      }
      (isSource ? files.sources : files.bibliographies).push({ path, text: read.text });
    }
  };
  walk(dir);
  return files;
}

export function loadCorpus(dir: string): Corpus {
  const files = readCorpusFiles(dir);
  return buildCorpus(files.sources, files.bibliographies, files.problems);
}

export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}
