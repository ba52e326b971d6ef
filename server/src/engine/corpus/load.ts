import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { buildCorpus, isMarkdownPath, keyOfPath, type BibliographyFile, type Corpus, type DocumentFormat, type SourceFile } from './corpus.js';
import { buildSegmentsInParallel, type ParallelBuildOptions, type ShareSource } from './parallel.js';
import { parseBibliography, type CorpusProblem } from './bibliography.js';
import { readableAttachments } from './attachments.js';
import { decodeText } from '../text/decode.js';
import type { Range } from '../text/lines.js';
import { extractDocument, type ExtractionCache } from './extract/index.js';
import { ExtractionError } from './extract/extracted.js';
import { indexFilePath, readIndexFile, writeIndexFile, writeSegments } from './index-file.js';
import type { StoredIndex } from './stored-index.js';

const TEXT = /\.(txt|md|markdown)$/i;
const BIBLIOGRAPHY = /\.(json|bib)$/i;
const DOCUMENTS: [RegExp, DocumentFormat][] = [
  [/\.pdf$/i, 'pdf'],
  [/\.html?$/i, 'html'],
  [/\.docx$/i, 'docx'],
];

export function documentFormat(path: string): DocumentFormat | undefined {
  return DOCUMENTS.find(([pattern]) => pattern.test(path))?.[1];
}

/** A document whose text is still to be extracted. */
export interface DocumentFile {
  path: string;
  format: DocumentFormat;
  /** The bibliography entry it is the attachment of. */
  key?: string;
}

export interface CorpusFiles {
  sources: SourceFile[];
  /** Text files listed and not read yet (see `CorpusReadOptions.unread`). */
  unread?: UnreadSource[];
  /** Documents (PDF, web pages, Word files): read by `extractDocuments`, which is asynchronous. */
  documents: DocumentFile[];
  bibliographies: BibliographyFile[];
  problems: CorpusProblem[];
}

export interface CorpusReadOptions {
  /**
   * Whether a bibliography's attachments may be read from outside the corpus
   * folder (a Zotero library keeps them in its own storage folder). The editor
   * allows it only in a trusted workspace: a `.bib` file could name any file.
   */
  attachmentsOutside?: boolean;
  /** The folder's stored index, if any: files it holds unchanged (by size and modification time) are read lazily. */
  stored?: StoredIndex | null;
  /**
   * Whether text files are only listed (their size and modification time
   * taken), for a first build's worker threads to read (`buildFirstIndex`);
   * `readUnread` reads them here.
   */
  unread?: boolean;
}

/** A text file listed, not read. */
export interface UnreadSource {
  readonly path: string;
  readonly key?: string;
  readonly size: number;
  readonly mtimeMs: number;
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

/** Every file under `dir`, recursively, in name order; what cannot be a file is reported. */
function listFiles(dir: string, problems: CorpusProblem[]): string[] {
  const found: string[] = [];
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
          problems.push({ path, severity: 'warning', message: 'Broken symbolic link in the corpus folder' });
          continue;
        }
      }
      if (isDirectory) {
        // A browser's "Save Page As" keeps the page's images, scripts and frames in `NAME_files/` beside
        // `NAME.html`: they belong to that page and are no sources of their own.
        const savedPage = /^(.+)_files$/u.exec(entry.name);
        if (savedPage && [`${savedPage[1]}.html`, `${savedPage[1]}.htm`].some((page) => existsSync(join(folder, page)))) continue;
        walk(path);
        continue;
      }
      const wanted = (TEXT.test(entry.name) && !/^readme\./i.test(entry.name)) || BIBLIOGRAPHY.test(entry.name) || documentFormat(entry.name);
      if (!wanted) continue;
      if (!isFile) {
        // A pipe or device would block or never end: never read it.
        problems.push({ path, severity: 'warning', message: 'Not a regular file (a pipe, socket or device); not read' });
        continue;
      }
      found.push(path);
    }
  };
  walk(dir);
  return found;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The text file at `path` as a source, or its problem. A file the stored
 * index has with the same size and modification time is not read now: its
 * text is read the first time something asks for it.
 */
function readSource(path: string, key: string | undefined, files: CorpusFiles, options: CorpusReadOptions): void {
  let stat: { size: number; mtimeMs: number } | undefined;
  try {
    stat = statSync(path);
  } catch {
    stat = undefined;
  }
  const stored = options.stored;
  const hash = stat && stored?.unchangedHash(path, stat.size, stat.mtimeMs);
  if (stored && stat && hash !== undefined) {
    files.sources.push(lazySource(path, key, hash, stat, stored));
    return;
  }
  if (options.unread && stat) {
    (files.unread ??= []).push({ path, key, size: stat.size, mtimeMs: stat.mtimeMs });
    return;
  }
  const read = readTextFile(path);
  if ('problem' in read) files.problems.push(notReadAsSource(path, read));
  else files.sources.push({ path, text: read.text, key, size: stat?.size, mtimeMs: stat?.mtimeMs });
}

function notReadAsSource(path: string, read: { problem: string; range?: Range }): CorpusProblem {
  return { path, range: read.range, severity: 'error', message: `${read.problem}; not read as a source` };
}

/** Reads, in this thread, the text files `readCorpusFiles` only listed. */
export function readUnread(files: CorpusFiles): void {
  for (const { path, key, size, mtimeMs } of files.unread ?? []) {
    const read = readTextFile(path);
    if ('problem' in read) files.problems.push(notReadAsSource(path, read));
    else files.sources.push({ path, text: read.text, key, size, mtimeMs });
  }
  files.unread = [];
}

/**
 * A source known by its stored hash, its text read when asked for and kept
 * in the stored index's cache of texts (within its budget, across reloads).
 */
function lazySource(path: string, key: string | undefined, hash: string, stat: { size: number; mtimeMs: number }, stored: StoredIndex): SourceFile {
  return {
    path,
    key,
    hash,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    get text(): string {
      return stored.texts.get(`${path}\n${hash}`, () => {
        const read = readTextFile(path);
        // It was text when indexed; a file made unreadable since is reloaded by the watcher, meanwhile it reads as empty.
        return 'text' in read ? read.text : '';
      });
    },
  };
}

/**
 * Lists the corpus folder (recursively): text sources are read, documents
 * listed for extraction, bibliographies read and parsed. A BibTeX entry's
 * `file` field makes its attachment (the PDF, else a saved page, else the
 * rest) the entry's source, under the entry's key; every attachment an entry
 * names is that entry's, never a source of its own.
 */
export function readCorpusFiles(dir: string, options: CorpusReadOptions = {}): CorpusFiles {
  const files: CorpusFiles = { sources: [], documents: [], bibliographies: [], problems: [] };
  const paths = listFiles(dir, files.problems);
  for (const path of paths.filter((p) => BIBLIOGRAPHY.test(p))) {
    const read = readTextFile(path);
    if ('problem' in read) files.problems.push({ path, range: read.range, severity: 'error', message: `${read.problem}; not read as a bibliography` });
    else files.bibliographies.push({ path, text: read.text, parsed: parseBibliography(path, read.text) });
  }

  const claimed = new Set<string>();
  for (const bibliography of files.bibliographies) {
    for (const entry of bibliography.parsed?.entries ?? []) {
      if (!entry.attachments?.length) continue;
      const resolved = entry.attachments.map((written) => ({ written, path: resolve(dirname(bibliography.path), written) }));
      for (const { path } of resolved) claimed.add(path);
      const problem = (message: string): void => {
        files.problems.push({ path: bibliography.path, range: entry.range, severity: 'warning', message: `Bibliography entry "${entry.item.id}": ${message}` });
      };
      const readable = readableAttachments(resolved);
      if (readable.length === 0) {
        problem(`no attachment Verbatim can read (${resolved.map((r) => r.written).join(', ')}); it reads .pdf, .html, .docx, .txt and .md`);
        continue;
      }
      const allowed = readable.filter((r) => options.attachmentsOutside !== false || isInside(r.path, dir));
      if (allowed.length === 0) {
        problem(`its attachment ${readable[0].written} is outside the corpus folder, which is read only in a trusted workspace`);
        continue;
      }
      const chosen = allowed.find((r) => existsSync(r.path) && statSync(r.path).isFile());
      if (!chosen) {
        problem(`attachment not found: ${allowed.map((r) => r.written).join(', ')}`);
        continue;
      }
      const format = documentFormat(chosen.path);
      if (format) files.documents.push({ path: chosen.path, format, key: entry.item.id });
      else readSource(chosen.path, entry.item.id, files, options);
    }
  }

  for (const path of paths) {
    // Attachments were resolved to absolute paths; a folder given relative (`--corpus corpus`) lists relative ones.
    if (BIBLIOGRAPHY.test(path) || claimed.has(resolve(path))) continue;
    const format = documentFormat(path);
    if (format) files.documents.push({ path, format });
    else readSource(path, undefined, files, options);
  }
  // Said once, on the folder: otherwise every citation in every note would be an `unknown-source`.
  if (files.sources.length === 0 && !files.unread?.length && files.documents.length === 0) {
    files.problems.push({ path: dir, severity: 'error', message: `${displayPath(dir)}/ holds no sources (no readable .txt, .md, .pdf, .html or .docx file)` });
  }
  return files;
}

export interface ExtractOptions {
  cache?: ExtractionCache;
  /** Called after each document, for progress reports. */
  onProgress?: (done: number, total: number, path: string) => void;
}

/** Extracts the text of every document; one that gives no text is reported on its file. */
export async function extractDocuments(documents: readonly DocumentFile[], options: ExtractOptions = {}): Promise<{ sources: SourceFile[]; problems: CorpusProblem[] }> {
  const sources: SourceFile[] = [];
  const problems: CorpusProblem[] = [];
  let done = 0;
  for (const document of documents) {
    const read = await extractDocumentFile(document, options.cache);
    if ('problem' in read) problems.push({ path: document.path, severity: 'error', message: read.problem });
    else sources.push(read.file);
    options.onProgress?.(++done, documents.length, document.path);
  }
  return { sources, problems };
}

/** One document's text as a source, or why it gives none. */
export async function extractDocumentFile(document: DocumentFile, cache?: ExtractionCache): Promise<{ file: SourceFile } | { problem: string }> {
  try {
    const bytes = readFileSync(document.path);
    const extracted = await extractDocument(document.format, bytes, cache);
    return { file: { path: document.path, key: document.key, format: document.format, text: extracted.text, pages: extracted.pages, metadata: extracted.metadata } };
  } catch (error) {
    // Whatever a document does to its reader, it is that document's problem, not the whole corpus's.
    return { problem: error instanceof ExtractionError ? error.message : `Cannot read the document: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A regular file's size and modification time, which tell a cached read from a stale one; undefined when there is no such file. */
export function fileStamp(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? `${stat.size}:${stat.mtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the corpus of files already listed and read, with the documents'
 * extracted text; without it, the documents' keys are pending (an editor
 * checks notes while a large PDF is still being read).
 */
export function corpusOf(files: CorpusFiles, extracted?: { sources: SourceFile[]; problems: CorpusProblem[] }, index?: OpenedIndex): Corpus {
  const pending = extracted ? new Set<string>() : new Set(files.documents.map((d) => d.key ?? keyOfPath(d.path)));
  const problems = [...files.problems, ...(extracted?.problems ?? [])];
  const corpus = buildCorpus([...files.sources, ...(extracted?.sources ?? [])], files.bibliographies, problems, pending, { stored: index?.stored });
  if (index !== undefined) writeIndexFile(index.file, corpus);
  return corpus;
}

/** A corpus folder's index file and what it held when the folder was listed. */
export interface OpenedIndex {
  readonly file: string;
  readonly stored: StoredIndex | null;
}

/**
 * Reads the index kept for `dir` under `cacheFolder` (none, or one found
 * damaged, is null: the index is built). Given the index opened before, only
 * the segments written since are read.
 */
export function openIndex(cacheFolder: string, dir: string, previous?: OpenedIndex): OpenedIndex {
  const file = indexFilePath(cacheFolder, dir);
  return { file, stored: readIndexFile(file, previous?.file === file ? previous.stored : undefined).stored };
}

export interface IndexOptions {
  /** Where the folder's index is kept between runs (see `indexFilePath`); without it the index lives in memory only. */
  indexCache?: string;
  /** How many worker threads make a first build (default: one a core; 1 builds in this thread). */
  threads?: number;
}

/** Loads a corpus folder whole: text sources, bibliographies, and the text of its documents. */
export async function loadCorpus(dir: string, options: CorpusReadOptions & ExtractOptions & IndexOptions = {}): Promise<Corpus> {
  let index = options.indexCache !== undefined ? openIndex(options.indexCache, dir) : undefined;
  // A first build, to be kept on disk: the text files are read, and the index made, on worker threads.
  const files = readCorpusFiles(dir, { ...options, stored: index?.stored, unread: index !== undefined && !index.stored });
  const extracted = await extractDocuments(files.documents, options);
  if (index && !index.stored) index = await buildFirstIndex(index, files, extracted.sources, { threads: options.threads });
  readUnread(files);
  return corpusOf(files, extracted, index);
}

/**
 * A folder's first index, built on worker threads (`buildSegmentsInParallel`)
 * from the text files `readCorpusFiles` listed and the texts given, written
 * to the index file and opened: the corpus is then built from it as from any
 * stored index. The files read become sources of `files` (their text read
 * again only when shown), those that are not text its problems; each text
 * given gets its content hash. Where threads are not worth it or fail,
 * nothing is done: the caller reads the files (`readUnread`) and builds in
 * its own thread.
 */
export async function buildFirstIndex(index: OpenedIndex, files: CorpusFiles, extracted: readonly SourceFile[], options: ParallelBuildOptions = {}): Promise<OpenedIndex> {
  type Input = { share: ShareSource; file?: SourceFile; unread?: UnreadSource };
  const inputs: Input[] = [
    ...[...files.sources, ...extracted].map((file): Input => ({ share: { path: file.path, text: file.text, markdown: !file.format && isMarkdownPath(file.path), size: file.size, mtimeMs: file.mtimeMs }, file })),
    ...(files.unread ?? []).map((unread): Input => ({ share: { path: unread.path, markdown: isMarkdownPath(unread.path), size: unread.size, mtimeMs: unread.mtimeMs }, unread })),
  ];
  // In corpus order (see `corpusBuildSteps`): each share is a run of sources, numbered after the share before.
  inputs.sort((a, b) => a.share.path.localeCompare(b.share.path));
  const built = await buildSegmentsInParallel(
    inputs.map((input) => input.share),
    options,
  );
  if (!built) return index;
  const stored = writeSegments(index.file, built.segments);
  files.unread = [];
  inputs.forEach(({ file, unread }, i) => {
    const outcome = built.outcomes[i];
    if ('problem' in outcome) files.problems.push(notReadAsSource(inputs[i].share.path, outcome));
    else if (file) file.hash = outcome.entry.hash;
    else if (unread) files.sources.push(lazySource(unread.path, unread.key, outcome.entry.hash, unread, stored));
  });
  return { file: index.file, stored };
}

/**
 * Loads a corpus folder's text sources and bibliographies only, synchronously:
 * for tests and tools on corpora without documents. A document in the folder
 * is reported, never silently left out.
 */
export function loadTextCorpus(dir: string): Corpus {
  const files = readCorpusFiles(dir);
  const skipped = files.documents.map((d): CorpusProblem => ({ path: d.path, severity: 'error', message: 'Documents are read only by the asynchronous loader (loadCorpus)' }));
  return buildCorpus(files.sources, files.bibliographies, [...files.problems, ...skipped]);
}

export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}
