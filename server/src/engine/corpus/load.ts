import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildCorpus, type Corpus, type SourceFile } from './corpus.js';
import type { CorpusProblem } from './bibliography.js';
import { decodeText } from '../text/decode.js';
import type { Range } from '../text/lines.js';

const SOURCE = /\.(txt|md|markdown)$/i;
const BIBLIOGRAPHY = /\.(json|bib)$/i;

export interface CorpusFiles {
  sources: SourceFile[];
  bibliographies: SourceFile[];
  problems: CorpusProblem[];
}

/** A file read as UTF-8 text, or why it could not be (and where, when the bytes say). */
export type TextFile = { text: string } | { problem: string; range?: Range };

/** Reads a file as UTF-8 text, or says why it is not text. */
export function readTextFile(path: string): TextFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { problem: `Cannot read file: ${error instanceof Error ? error.message : String(error)}` };
  }
  const decoded = decodeText(bytes);
  return 'text' in decoded ? decoded : { problem: decoded.reason, range: decoded.range };
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
        files.problems.push({ path, range: read.range, severity: 'error', message: `${read.problem}; not read as a source` });
        continue;
      }
      (isSource ? files.sources : files.bibliographies).push({ path, text: read.text });
    }
  };
  walk(dir);
  // Said once, on the folder: otherwise every citation in every note would be an `unknown-source`.
  if (files.sources.length === 0) {
    files.problems.push({ path: dir, severity: 'error', message: `${displayPath(dir)}/ holds no sources (no readable .txt, .md or .markdown file)` });
  }
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
