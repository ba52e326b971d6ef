import type { Corpus } from '../engine/corpus/corpus.js';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkNote, withSourceProblems, type CheckResult, type NoteChecker } from '../engine/check.js';
import type { LoadedCorpus } from '../engine/corpus/manager.js';
import type { CorpusProblem } from '../engine/corpus/bibliography.js';
import { NoteSources } from '../engine/corpus/note-sources.js';
import type { VerbatimSettings } from './settings.js';
import type { FolderState, Workspace } from './workspace.js';
import { pathToUri, uriToPath } from './workspace.js';

type ReadyState = FolderState & { loaded: LoadedCorpus };

function hasCorpus(state: FolderState): state is ReadyState {
  return state.loaded !== undefined;
}

/** The latest check of an open note, at the version it was made for. */
export interface NoteSnapshot {
  readonly uri: string;
  readonly version: number;
  readonly state: FolderState;
  /** The folder's corpus when it was checked: a reload (or documents read) replaces it, and the check with it. */
  readonly loaded: LoadedCorpus;
  /** The corpus it was checked against: the whole corpus, what an archive fetched for this note, or with the sources its front matter names. */
  readonly corpus: Corpus;
  readonly result: CheckResult;
}

/** What every feature needs: the connection, the open documents, the workspace's corpora, and checked notes. */
export class ServerContext {
  private readonly snapshots = new Map<string, NoteSnapshot>();
  /** Each folder's reader of notes' own sources (front-matter bibliographies), shared by its notes. */
  private readonly noteSources = new Map<string, NoteSources>();
  /** A checker per note corpus (notes with the same front matter share one), made with the settings it was made for. */
  private noteCheckers = new WeakMap<Corpus, { settings: VerbatimSettings; checker: NoteChecker }>();
  /** Told of every check made, for what reads the notes beyond their diagnostics (what they quote of each source). */
  onChecked: (snapshot: NoteSnapshot) => void = () => undefined;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly workspace: Workspace,
  ) {}

  /** The folder state for a note, or undefined when the document is not a note with a corpus. */
  noteState(uri: string): ReadyState | undefined {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const folder = this.workspace.folderOf(path);
    const state = folder ? this.workspace.stateOf(folder) : undefined;
    return state && hasCorpus(state) && this.workspace.isNote(path, state) ? state : undefined;
  }

  /**
   * Whether the note's diagnostics must wait: its folder's corpus has not
   * been loaded yet, or the corpus the user set could not be read. Publishing
   * an empty list then would tell the editor the note has no problems.
   */
  withheld(uri: string): boolean {
    const path = uriToPath(uri);
    const folder = path ? this.workspace.folderOf(path) : undefined;
    if (!folder) return false;
    const state = this.workspace.stateOf(folder);
    return !state || (!state.loaded && state.withheld);
  }

  /** The check of the document at its current version, when it is made or can be made at once (against a whole corpus, and the note's own sources read before). */
  snapshot(document: TextDocument): NoteSnapshot | undefined {
    const state = this.noteState(document.uri);
    if (!state) return undefined;
    const known = this.known(document, state.loaded);
    if (known || !state.loaded.whole) return known;
    const path = uriToPath(document.uri) ?? '';
    const own = this.sourcesOf(state).cached(path, document.getText(), state.loaded.corpus, state.settings.frontMatterBibliography);
    if (!own) return undefined;
    return this.make(document, state, own.noteCorpus?.corpus ?? state.loaded.corpus, own.noteCorpus?.problems ?? []);
  }

  /** The corpus a note sees now, without reading anything (for completion while typing): with its own sources when they have been read. */
  corpusOf(document: TextDocument, state: ReadyState): Corpus {
    if (!state.loaded.whole) return state.loaded.corpus;
    const own = this.sourcesOf(state).cached(uriToPath(document.uri) ?? '', document.getText(), state.loaded.corpus, state.settings.frontMatterBibliography);
    return own?.noteCorpus?.corpus ?? this.snapshots.get(document.uri)?.corpus ?? state.loaded.corpus;
  }

  /**
   * Files changed on disk: notes whose own sources were read from one of
   * them are checked afresh; their URIs are returned.
   */
  sourcesChanged(paths: readonly string[]): string[] {
    const stale: string[] = [];
    for (const sources of this.noteSources.values()) for (const note of sources.changed(paths)) stale.push(pathToUri(note));
    for (const uri of stale) this.snapshots.delete(uri);
    return stale;
  }

  private sourcesOf(state: ReadyState): NoteSources {
    let sources = this.noteSources.get(state.folder);
    if (!sources) {
      // In an untrusted workspace a front matter may not make the server read files outside the folder.
      sources = new NoteSources({ confineTo: this.workspace.environment.trusted ? undefined : state.folder });
      this.noteSources.set(state.folder, sources);
    }
    return sources;
  }

  /** The check of the document at its current version, fetching from an archive what the note needs. */
  async check(document: TextDocument): Promise<NoteSnapshot | undefined> {
    const state = this.noteState(document.uri);
    if (!state) return undefined;
    const known = this.known(document, state.loaded);
    if (known) return known;
    const version = document.version;
    const text = document.getText();
    const corpus = state.loaded.whole ? state.loaded.corpus : await state.loaded.corpusFor(text);
    const own = await this.sourcesOf(state).corpusFor(uriToPath(document.uri) ?? '', text, corpus, state.settings.frontMatterBibliography);
    // Edited while the archive answered, or the note's own sources were read: this check is already stale.
    if (this.documents.get(document.uri)?.version !== version) return undefined;
    return this.make(document, state, own?.corpus ?? corpus, own?.problems ?? []);
  }

  private known(document: TextDocument, loaded: LoadedCorpus): NoteSnapshot | undefined {
    const known = this.snapshots.get(document.uri);
    return known && known.version === document.version && known.loaded === loaded ? known : undefined;
  }

  private make(document: TextDocument, state: ReadyState, corpus: Corpus, problems: readonly CorpusProblem[]): NoteSnapshot {
    const checker = corpus === state.loaded.corpus && state.checker ? state.checker : this.checkerOf(state, corpus);
    const checked = checkNote(corpus, document.getText(), { severity: state.settings.severity, checker });
    const result = withSourceProblems(checked, problems, state.settings.severity);
    const snapshot: NoteSnapshot = { uri: document.uri, version: document.version, state, loaded: state.loaded, corpus, result };
    this.snapshots.set(document.uri, snapshot);
    this.onChecked(snapshot);
    return snapshot;
  }

  /** The checker for a note corpus; an archive's corpus is made for one note, so its checker would keep nothing worth keeping. */
  private checkerOf(state: ReadyState, corpus: Corpus): NoteChecker {
    if (!state.loaded.whole) return this.workspace.checkerFor(state.settings, corpus);
    const known = this.noteCheckers.get(corpus);
    if (known?.settings === state.settings) return known.checker;
    const checker = this.workspace.checkerFor(state.settings, corpus);
    this.noteCheckers.set(corpus, { settings: state.settings, checker });
    return checker;
  }

  forget(uri: string): void {
    this.snapshots.delete(uri);
    const path = uriToPath(uri);
    if (path) for (const sources of this.noteSources.values()) sources.forget(path);
  }

  /** Every check is stale: the engine can now see more than it could (the claim tagger has loaded). */
  forgetAll(): void {
    this.snapshots.clear();
    this.noteCheckers = new WeakMap();
  }
}
