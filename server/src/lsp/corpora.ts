import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import type { ClientSettings } from './client-settings.js';
import type { DiagnosticsFeature } from './diagnostics.js';
import { basename, join } from 'node:path';
import { extractDocuments, type DocumentFile } from '../engine/corpus/load.js';
import { FolderExtractionCache, userCacheFolder } from '../engine/corpus/extract/cache.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { indexingNotification, statusNotification, type CorpusStatus } from './protocol.js';
import type { FolderState, Workspace } from './workspace.js';

/** Above this much source text, indexing is announced so the client can show progress. */
const LARGE_CORPUS_BYTES = 2_000_000;

export function corpusStatus(state: FolderState): CorpusStatus {
  const corpus = state.corpus;
  return {
    folder: state.folder,
    sources: corpus?.sources.length ?? 0,
    // Counted from the index: asking each source for its paragraphs would parse them all.
    paragraphs: corpus?.sources.reduce((n, s) => n + s.indexed.paragraphCount, 0) ?? 0,
    bytes: state.bytes,
    loadMs: Math.round(state.loadMs),
    error: state.error,
  };
}

/** Loads each folder's corpus with that folder's settings, and tells the client how it went. */
export class Corpora {
  /** Loads in progress: a note that opens while its folder's corpus is loading waits for that load instead of starting a second one. */
  private readonly loading = new Map<string, Promise<FolderState>>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    private readonly settings: ClientSettings,
    private readonly diagnostics: DiagnosticsFeature,
    /** Re-checks a folder's open notes once its documents' text is in. */
    private readonly documentsRead: (folder: string) => void,
  ) {}

  /** (Re)loads a folder's corpus, asking for its settings first. */
  async load(folder: string): Promise<FolderState> {
    const load = this.read(folder);
    this.loading.set(folder, load);
    try {
      return await load;
    } finally {
      if (this.loading.get(folder) === load) this.loading.delete(folder);
    }
  }

  /** The folder's corpus: the load in progress, the one loaded, or a first load. */
  ensure(folder: string): Promise<FolderState> {
    const state = this.workspace.stateOf(folder);
    return this.loading.get(folder) ?? (state ? Promise.resolve(state) : this.load(folder));
  }

  private async read(folder: string): Promise<FolderState> {
    const { settings, from } = await this.settings.forFolder(folder);
    const announce = (this.workspace.stateOf(folder)?.bytes ?? LARGE_CORPUS_BYTES) >= LARGE_CORPUS_BYTES;
    if (announce) void this.connection.sendNotification(indexingNotification, { folder, done: false });
    const state = this.workspace.load(folder, settings, from);
    if (announce) void this.connection.sendNotification(indexingNotification, { folder, done: true });
    // A workspace without a corpus folder is simply not Verbatim's business: only a corpus the user set explicitly is worth a pop-up.
    if (state.error && settings.corpus !== DEFAULT_SETTINGS.corpus) {
      void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Verbatim: ${state.error}` });
    }
    this.diagnostics.publishCorpusProblems(state);
    void this.connection.sendNotification(statusNotification, corpusStatus(state));
    if (state.files?.documents.length) void this.extract(state, state.files.documents);
    return state;
  }

  /**
   * Extracts the folder's documents after its text sources are in use, with
   * progress shown: notes citing other sources are checked meanwhile, and
   * those citing a document when its text is in.
   */
  private async extract(state: FolderState, documents: readonly DocumentFile[]): Promise<void> {
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('Verbatim: reading documents', 0, `0 of ${documents.length}`, false);
    const cache = new FolderExtractionCache(join(this.workspace.environment.cacheFolder ?? userCacheFolder(), 'extracted'));
    const extracted = await extractDocuments(documents, {
      cache,
      onProgress: (done, total, path) => progress.report(Math.round((100 * done) / total), `${done} of ${total}: ${basename(path)}`),
    });
    progress.done();
    if (!this.workspace.completeDocuments(state, extracted)) return;
    this.diagnostics.publishCorpusProblems(state);
    void this.connection.sendNotification(statusNotification, corpusStatus(state));
    this.documentsRead(state.folder);
  }
}
