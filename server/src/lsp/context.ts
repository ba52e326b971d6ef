import type { Corpus } from '../engine/corpus/corpus.js';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkNote, type CheckResult } from '../engine/check.js';
import type { FolderState, Workspace } from './workspace.js';
import { uriToPath } from './workspace.js';

/** The latest check of an open note, at the version it was made for. */
export interface NoteSnapshot {
  readonly uri: string;
  readonly version: number;
  readonly state: FolderState;
  /** The corpus it was checked against: a folder's state keeps its identity when its corpus is replaced (documents read). */
  readonly corpus: Corpus;
  readonly result: CheckResult;
}

/** What every feature needs: the connection, the open documents, the workspace's corpora, and checked notes. */
export class ServerContext {
  private readonly snapshots = new Map<string, NoteSnapshot>();

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly workspace: Workspace,
  ) {}

  /** The folder state for a note, or undefined when the document is not a note with a corpus. */
  noteState(uri: string): FolderState | undefined {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const folder = this.workspace.folderOf(path);
    const state = folder ? this.workspace.stateOf(folder) : undefined;
    if (!state?.corpus || !this.workspace.isNote(path, state)) return undefined;
    return state;
  }

  /** The check of the document at its current version, made now if needed. */
  snapshot(document: TextDocument): NoteSnapshot | undefined {
    const known = this.snapshots.get(document.uri);
    if (known && known.version === document.version && known.corpus === this.noteState(document.uri)?.corpus) return known;
    const state = this.noteState(document.uri);
    if (!state?.corpus || !state.checker) return undefined;
    const result = checkNote(state.corpus, document.getText(), {
      severity: state.settings.severity,
      checker: state.checker,
    });
    const snapshot: NoteSnapshot = { uri: document.uri, version: document.version, state, corpus: state.corpus, result };
    this.snapshots.set(document.uri, snapshot);
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
