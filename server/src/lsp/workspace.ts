import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { NoteChecker } from '../engine/check.js';
import type { ClaimTagger } from '../engine/claims/detect.js';
import type { Corpus, Source } from '../engine/corpus/corpus.js';
import type { LoadedCorpus } from '../engine/corpus/manager.js';
import { isPostgresUrl } from '../engine/corpus/postgres/connection.js';
import { SOURCE_TEXT_SCHEME } from './protocol.js';
import { DEFAULT_SETTINGS, type VerbatimSettings } from './settings.js';

/** One workspace folder (or, for a loose file, the nearest folder holding a corpus) and its corpus once loaded or failed. */
export interface FolderState {
  readonly folder: string;
  settings: VerbatimSettings;
  /** Where the settings came from (workspace/configuration, initializationOptions, …), for the log. */
  settingsFrom: string;
  /** The resolved corpus folder (none for an archive): files in it are not notes. */
  corpusDir?: string;
  /** The corpus notes are checked against (see `LoadedCorpus`); a reload keeps it in use until the next one is ready. */
  loaded?: LoadedCorpus;
  /** Checks this folder's notes against a whole corpus, keeping unchanged paragraphs' results between keystrokes. */
  checker?: NoteChecker;
  /** Why there is no corpus, in words for the user. */
  error?: string;
  /** The corpus the user set could not be read: notes are not published, since an empty list would read as "no problems". */
  withheld: boolean;
  /** Corpus files that currently have problem diagnostics published. */
  problemUris: Set<string>;
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
  /** The English tagger for claims, once it has loaded: checkers made before then read no claims. */
  private claimTagger: ClaimTagger | undefined;

  /** The claim tagger has loaded: every folder's checker is made anew with it (what the old ones kept was read without claims). */
  useClaimTagger(tagger: ClaimTagger): void {
    this.claimTagger = tagger;
    for (const state of this.states.values()) if (state.loaded?.whole) state.checker = this.checkerFor(state.settings, state.loaded.corpus);
  }

  /** A checker for notes read with `settings` against `corpus`, reading claims once the tagger is in. */
  checkerFor(settings: VerbatimSettings, corpus: Corpus): NoteChecker {
    return new NoteChecker(corpus, { claims: { ...settings.claims, tagger: this.claimTagger } });
  }

  /**
   * The checker for a folder's corpus once it has changed (a source added,
   * edited or removed): the previous checker carried over, keeping what the
   * change cannot affect (see `NoteChecker.carriedTo`), when it reads claims
   * as the new settings ask; a new one otherwise.
   */
  nextChecker(previous: FolderState | undefined, settings: VerbatimSettings, corpus: Corpus): NoteChecker {
    const checker = previous?.loaded?.whole ? previous.checker : undefined;
    const claims = checker?.options.claims;
    if (!checker || claims?.tagger !== this.claimTagger || JSON.stringify(previous?.settings.claims) !== JSON.stringify(settings.claims)) return this.checkerFor(settings, corpus);
    return checker.carriedTo(corpus);
  }

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => resolve(f));
    for (const key of [...this.states.keys()]) if (!this.folders.includes(key) && !this.states.get(key)?.corpusDir) this.states.delete(key);
  }

  /** The settings known before any folder (pushed by the client), which decide what a loose file looks for. */
  setGlobalSettings(settings: VerbatimSettings): void {
    this.looseCorpus = isAbsolute(settings.corpus) || isPostgresUrl(settings.corpus) ? DEFAULT_SETTINGS.corpus : settings.corpus;
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

  /** Installs a folder's state: its corpus is ready, or could not be read. */
  setState(state: FolderState): void {
    this.states.set(state.folder, state);
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
      const source = state.loaded?.corpus.sources.find((s) => s.path === path);
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
}
