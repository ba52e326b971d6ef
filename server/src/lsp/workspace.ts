import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { NoteChecker } from '../engine/check.js';
import type { Corpus, Source, SourceFile } from '../engine/corpus/corpus.js';
import { SOURCE_TEXT_SCHEME } from './protocol.js';
import type { CorpusProblem } from '../engine/corpus/bibliography.js';
import { corpusOf, openIndex, readCorpusFiles, type CorpusFiles, type OpenedIndex } from '../engine/corpus/load.js';
import { userCacheFolder } from '../engine/corpus/extract/cache.js';
import { DEFAULT_SETTINGS, type VerbatimSettings } from './settings.js';

/** One workspace folder (or, for a loose file, the nearest folder holding a corpus) and its corpus. */
export interface FolderState {
  readonly folder: string;
  settings: VerbatimSettings;
  /** Where the settings came from (workspace/configuration, initializationOptions, …), for the log. */
  settingsFrom: string;
  /** The resolved corpus folder, or undefined when the setting cannot be used. */
  corpusDir?: string;
  corpus?: Corpus;
  /** Checks this folder's notes, keeping unchanged paragraphs' results between keystrokes. */
  checker?: NoteChecker;
  /** Why there is no corpus, in words for the user. */
  error?: string;
  /** Corpus files that currently have problem diagnostics published. */
  problemUris: Set<string>;
  /** The corpus folder's files as listed and read; its documents are extracted from these. */
  files?: CorpusFiles;
  /** The folder's index file, where the index is kept between starts (in the editor's storage folder, else the user's cache). */
  index?: OpenedIndex;
  /** Bytes of source text, for the status bar. */
  bytes: number;
  loadMs: number;
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function uriToPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

export function pathToUri(path: string): string {
  return URI.file(path).toString();
}

/**
 * Resolves `verbatim.corpus` against its folder. A relative setting may not
 * reach outside the workspace folder (`../elsewhere`): only an absolute path,
 * set explicitly, may point there.
 */
function resolveCorpusDir(folder: string, setting: string): { dir?: string; error?: string } {
  if (isAbsolute(setting)) return { dir: resolve(setting) };
  const dir = resolve(folder, setting);
  if (!isInside(dir, folder)) {
    return { error: `verbatim.corpus "${setting}" points outside the workspace folder ${folder}; set an absolute path to use a corpus there` };
  }
  return { dir };
}

/** What the editor says of where the server runs (`initializationOptions` beside `verbatim`). */
export interface ServerEnvironment {
  /**
   * Whether the workspace is trusted: only then are a bibliography's
   * attachments read from outside the corpus folder. Editors without a notion
   * of trust leave it out, and are trusted.
   */
  trusted: boolean;
  /** Where extracted document texts are cached: the extension's storage folder; the per-user cache otherwise. */
  cacheFolder?: string;
  /** Whether the client shows `verbatim-source:` documents (a document's extracted text, read-only). */
  sourceTextDocuments: boolean;
}

/** `{workspaceTrusted?, storagePath?, sourceTextDocuments?}` beside the settings in `initializationOptions`. */
export function readEnvironment(options: unknown): ServerEnvironment {
  const record = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  return {
    trusted: record.workspaceTrusted !== false,
    cacheFolder: typeof record.storagePath === 'string' && record.storagePath !== '' ? record.storagePath : undefined,
    sourceTextDocuments: record.sourceTextDocuments === true,
  };
}

export class Workspace {
  private readonly states = new Map<string, FolderState>();
  private folders: string[] = [];
  /** The corpus folder name a file outside every workspace folder looks for above it: `verbatim.corpus` when relative. */
  private looseCorpus = DEFAULT_SETTINGS.corpus;
  /** What the editor tells the server once, at start-up. */
  environment: ServerEnvironment = { trusted: true, sourceTextDocuments: false };

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => resolve(f));
    for (const key of [...this.states.keys()]) if (!this.folders.includes(key) && !this.states.get(key)?.corpusDir) this.states.delete(key);
  }

  /** The settings known before any folder (pushed by the client), which decide what a loose file looks for. */
  setGlobalSettings(settings: VerbatimSettings): void {
    this.looseCorpus = isAbsolute(settings.corpus) ? DEFAULT_SETTINGS.corpus : settings.corpus;
  }

  /** The name of the folder a loose file's corpus must have. */
  get looseCorpusName(): string {
    return this.looseCorpus;
  }

  allStates(): FolderState[] {
    return [...this.states.values()];
  }

  /** The folder a file belongs to: the innermost workspace folder, or the nearest ancestor holding a corpus folder. */
  folderOf(path: string): string | undefined {
    const containing = this.folders.filter((f) => isInside(path, f)).sort((a, b) => b.length - a.length)[0];
    if (containing) return containing;
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const candidate = join(dir, this.looseCorpus);
      if (existsSync(candidate) && statSync(candidate).isDirectory()) return dir;
      if (dirname(dir) === dir) return undefined;
    }
  }

  stateOf(folder: string): FolderState | undefined {
    return this.states.get(folder);
  }

  /** Loads (or reloads) a folder's corpus with the given settings. */
  load(folder: string, settings: VerbatimSettings, settingsFrom = 'the defaults'): FolderState {
    const previous = this.states.get(folder);
    const state: FolderState = { folder, settings, settingsFrom, problemUris: previous?.problemUris ?? new Set(), bytes: 0, loadMs: 0 };
    const resolved = resolveCorpusDir(folder, settings.corpus);
    if (resolved.error) state.error = resolved.error;
    else if (!resolved.dir || !existsSync(resolved.dir) || !statSync(resolved.dir).isDirectory()) {
      state.corpusDir = resolved.dir;
      state.error = `Corpus folder not found: ${resolved.dir} (setting verbatim.corpus)`;
    } else {
      const started = performance.now();
      state.corpusDir = resolved.dir;
      // The index opened before: only what was appended to its file since is read.
      state.index = openIndex(this.environment.cacheFolder ?? userCacheFolder(), resolved.dir, previous?.index);
      const files = readCorpusFiles(resolved.dir, { attachmentsOutside: this.environment.trusted, stored: state.index.stored });
      // Text sources first: documents are extracted afterwards (see `completeDocuments`), and meanwhile their keys are pending.
      this.setCorpus(state, corpusOf(files, undefined, state.index), files);
      state.files = files;
      state.loadMs = performance.now() - started;
    }
    this.states.set(folder, state);
    return state;
  }

  /** The corpus with its documents' text in, if `state` is still the folder's current state. */
  completeDocuments(state: FolderState, extracted: { sources: SourceFile[]; problems: CorpusProblem[] }): boolean {
    if (this.states.get(state.folder) !== state || !state.files) return false;
    this.setCorpus(state, corpusOf(state.files, extracted, state.index), state.files, extracted.sources);
    return true;
  }

  private setCorpus(state: FolderState, corpus: Corpus, files: CorpusFiles, extracted: readonly SourceFile[] = []): void {
    state.corpus = corpus;
    state.checker = new NoteChecker(corpus, { claims: state.settings.claims });
    // Counted from the files' sizes where known: a text read lazily (see `readCorpusFiles`) is not read for a status bar.
    state.bytes = [...files.sources, ...extracted].reduce((n, source) => n + (source.size ?? source.text.length), 0);
  }

  /**
   * Where a source is shown: its file, or for a document (PDF, web page, Word
   * file) its extracted text as a `verbatim-source:` document when the client
   * can show one — the file itself would not match the offsets.
   */
  sourceUri(source: Source): string {
    const extracted = source.format === 'pdf' || source.format === 'html' || source.format === 'docx';
    return extracted && this.environment.sourceTextDocuments ? URI.file(source.path).with({ scheme: SOURCE_TEXT_SCHEME }).toString() : pathToUri(source.path);
  }

  /** The extracted text behind a `verbatim-source:` URI. */
  sourceText(uri: string): string | null {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== SOURCE_TEXT_SCHEME) return null;
    const path = parsed.fsPath;
    for (const state of this.states.values()) {
      const source = state.corpus?.sources.find((s) => s.path === path);
      if (source) return source.text;
    }
    return null;
  }

  /** Whether a file is a note: markdown, matching `verbatim.notes`, outside the corpus folder. */
  isNote(path: string, state: FolderState): boolean {
    if (!/\.(md|markdown)$/iu.test(path)) return false;
    if (state.corpusDir && isInside(path, state.corpusDir)) return false;
    const rel = relative(state.folder, path).split(sep).join('/');
    return picomatch(state.settings.notes, { dot: false })(rel);
  }

  /** The states whose corpus folder holds this file. */
  statesWithCorpusFile(path: string): FolderState[] {
    return this.allStates().filter((s) => s.corpusDir !== undefined && isInside(path, s.corpusDir));
  }
}
