import type { Corpus } from '../engine/corpus/corpus.js';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkNote, type CheckResult } from '../engine/check.js';
import type { LoadedCorpus } from '../engine/corpus/manager.js';
import type { FolderState, Workspace } from './workspace.js';
import { uriToPath } from './workspace.js';

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
  /** The corpus it was checked against: the whole corpus, or what an archive fetched for this note. */
  readonly corpus: Corpus;
  readonly result: CheckResult;
}

/** What every feature needs: the connection, the open documents, the workspace's corpora, and checked notes. */
export class ServerContext {
  private readonly snapshots = new Map<string, NoteSnapshot>();
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

  /** The check of the document at its current version, when it is made or can be made at once (against a whole corpus). */
  snapshot(document: TextDocument): NoteSnapshot | undefined {
    const state = this.noteState(document.uri);
    if (!state) return undefined;
    const known = this.known(document, state.loaded);
    if (known || !state.loaded.whole) return known;
    return this.make(document, state, state.loaded.corpus);
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
    // Edited while the archive answered: this check is already stale.
    if (this.documents.get(document.uri)?.version !== version) return undefined;
    return this.make(document, state, corpus);
  }

  private known(document: TextDocument, loaded: LoadedCorpus): NoteSnapshot | undefined {
    const known = this.snapshots.get(document.uri);
    return known && known.version === document.version && known.loaded === loaded ? known : undefined;
  }

  private make(document: TextDocument, state: ReadyState, corpus: Corpus): NoteSnapshot {
    // An archive's corpus is made for this note: its checker would keep nothing worth keeping.
    const checker = state.loaded.whole && state.checker ? state.checker : this.workspace.checkerFor(state.settings, corpus);
    const result = checkNote(corpus, document.getText(), { severity: state.settings.severity, checker });
    const snapshot: NoteSnapshot = { uri: document.uri, version: document.version, state, loaded: state.loaded, corpus, result };
    this.snapshots.set(document.uri, snapshot);
    this.onChecked(snapshot);
    return snapshot;
  }

  forget(uri: string): void {
    this.snapshots.delete(uri);
  }

  /** Every check is stale: the engine can now see more than it could (the claim tagger has loaded). */
  forgetAll(): void {
    this.snapshots.clear();
  }
}
