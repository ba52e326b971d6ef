import { dirname } from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type DidChangeWatchedFilesParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ClaimTagger } from '../engine/claims/detect.js';
import { ClientSettings } from './client-settings.js';
import { provideCodeActions } from './code-actions.js';
import { provideCompletion } from './completion.js';
import { ServerContext } from './context.js';
import { Corpora, corpusStatus } from './corpora.js';
import { reindexRequest, sourceTextRequest, statsRequest, type CorpusStatus } from './protocol.js';
import { provideDefinition } from './definition.js';
import { DiagnosticsFeature } from './diagnostics.js';
import { provideHover } from './hover.js';
import { provideReferences } from './references.js';
import { readEnvironment, uriToPath, Workspace } from './workspace.js';


/** Saving several sources at once triggers one re-index. */
const CORPUS_SAVE_QUIET_MS = 50;
/** With no note open, the claim tagger loads this long after start-up, when the server is idle anyway. */
const CLAIMS_IDLE_MS = 1000;

/** Wires the language server's features to a connection (IPC for VS Code, stdio for other editors). */
export function startServer(connection: Connection): void {
  new VerbatimServer(connection).listen();
}

/**
 * The English tagger for claims takes about 200 ms to set up: it loads once,
 * after the first diagnostics are out, and then open notes are checked again.
 */
class DeferredClaimDetection {
  private requested = false;

  constructor(private readonly loaded: (tagger: ClaimTagger) => void) {}

  request(): void {
    if (this.requested) return;
    this.requested = true;
    setTimeout(() => void ClaimTagger.load().then(this.loaded), 0);
  }
}

/** Corpus files saved close together: their folders are re-indexed once the saving stops. */
class CorpusSaves {
  private readonly folders = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly reindex: (folders: string[]) => Promise<void>) {}

  add(folders: string[]): void {
    for (const folder of folders) this.folders.add(folder);
    if (this.folders.size === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const due = [...this.folders];
      this.folders.clear();
      void this.reindex(due);
    }, CORPUS_SAVE_QUIET_MS);
  }
}

/** The server's state — what the client can do, its folders, its open notes — with one method per protocol event. */
class VerbatimServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace = new Workspace();
  private readonly settings: ClientSettings;
  private readonly context: ServerContext;
  private readonly claims: DeferredClaimDetection;
  private readonly diagnostics: DiagnosticsFeature;
  private readonly corpora: Corpora;
  private readonly corpusSaves: CorpusSaves;
  private canWatchFiles = false;
  private canWatchFolders = false;
  private workspaceFolders: string[] = [];
  /** Notes opened before their folder's corpus was there: they are checked when it is, not before. */
  private readonly awaitingCorpus = new Set<string>();
  /** What has been logged about notes without a corpus: each explanation once. */
  private readonly explained = new Set<string>();

  constructor(private readonly connection: Connection) {
    this.settings = new ClientSettings(connection);
    this.context = new ServerContext(connection, this.documents, this.workspace);
    this.claims = new DeferredClaimDetection((tagger) => this.claimsLoaded(tagger));
    this.diagnostics = new DiagnosticsFeature(this.context, () => this.claims.request());
    this.corpora = new Corpora(connection, this.workspace, this.settings, this.diagnostics, () => this.checkAll());
    this.corpusSaves = new CorpusSaves((folders) => this.reindex(folders));
  }

  listen(): void {
    const { connection, documents, context } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration((change) => this.configurationChanged(change.settings));
    connection.onDidChangeWatchedFiles((params) => this.watchedFilesChanged(params));
    connection.onRequest(reindexRequest, () => this.reloadAll());
    connection.onRequest(statsRequest, () => this.stats());
    connection.onRequest(sourceTextRequest, ({ uri }) => this.workspace.sourceText(uri));

    documents.onDidOpen((event) => this.opened(event.document));
    documents.onDidChangeContent((event) => this.changed(event.document));
    documents.onDidClose((event) => this.diagnostics.clear(event.document.uri));

    connection.onHover((params, token) => provideHover(context, params, token));
    connection.onCompletion((params, token) => provideCompletion(context, params, token));
    connection.onDefinition((params, token) => provideDefinition(context, params, token));
    connection.onReferences((params, token) => provideReferences(context, params, token));
    connection.onCodeAction((params) => provideCodeActions(context, params));

    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.settings.initialize(params);
    this.workspace.setGlobalSettings(this.settings.global);
    this.workspace.environment = readEnvironment(params.initializationOptions);
    this.canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.canWatchFolders = capabilities.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined) ?? [];
    const rootPath = params.rootUri ? uriToPath(params.rootUri) : undefined;
    this.setFolders(folders.length > 0 ? folders : rootPath ? [rootPath] : []);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['@', ' ', '¶'] },
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'verbatim' },
    };
  }

  private async initialized(): Promise<void> {
    const { connection } = this;
    if (this.settings.askable) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
    if (this.canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{txt,md,markdown,json,bib,pdf,html,htm,docx}' }] });
    }
    if (this.canWatchFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => this.foldersChanged(event));
    await this.reloadAll();
    setTimeout(() => this.claims.request(), CLAIMS_IDLE_MS);
  }

  private async configurationChanged(settings: unknown): Promise<void> {
    this.settings.changed(settings);
    this.workspace.setGlobalSettings(this.settings.global);
    await this.reloadAll();
  }

  private async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
    const added = event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    this.setFolders([...this.workspaceFolders.filter((f) => !removed.has(f)), ...added]);
    await this.reloadAll();
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    const paths = params.changes.map((c) => uriToPath(c.uri)).filter((p): p is string => p !== undefined);
    this.corpusSaves.add(paths.flatMap((path) => this.workspace.statesWithCorpusFile(path).map((s) => s.folder)));
  }

  private async opened(document: TextDocument): Promise<void> {
    const uri = document.uri;
    const folder = this.folderOf(uri);
    if (folder) {
      this.awaitingCorpus.add(uri);
      try {
        await this.corpora.ensure(folder);
      } finally {
        this.awaitingCorpus.delete(uri);
      }
    }
    // The latest version, edits made while the corpus loaded included.
    this.check(uri);
  }

  private changed(document: TextDocument): void {
    // Opening fires a change too; a note still waiting for its corpus is checked when the corpus is there.
    if (this.awaitingCorpus.has(document.uri)) return;
    this.diagnostics.schedule(document);
  }

  /** The tagger is in: every check so far was made without claims. */
  private claimsLoaded(tagger: ClaimTagger): void {
    this.workspace.useClaimTagger(tagger);
    this.context.forgetAll();
    this.checkAll();
  }

  /** Loads the corpus of every folder that has open notes or is a workspace folder, then re-checks open notes. */
  private async reloadAll(): Promise<CorpusStatus[]> {
    const folders = new Set([...this.workspace.allStates().map((s) => s.folder), ...this.workspaceFolders]);
    for (const document of this.documents.all()) {
      const folder = this.folderOf(document.uri);
      if (folder) folders.add(folder);
    }
    const states = await Promise.all([...folders].map((folder) => this.corpora.load(folder)));
    this.checkAll();
    return states.map(corpusStatus);
  }

  private async reindex(folders: string[]): Promise<void> {
    await Promise.all(folders.map((folder) => this.corpora.load(folder)));
    this.checkAll();
  }

  private check(uri: string): void {
    // Its corpus is still loading: checked (once) when it is there, rather than published empty now.
    if (this.awaitingCorpus.has(uri)) return;
    this.explainMissingCorpus(uri);
    this.diagnostics.validate(uri);
  }

  private checkAll(): void {
    for (const document of this.documents.all()) this.check(document.uri);
  }

  /**
   * A note with no corpus gets no diagnostics, which looks like a note with no
   * problems: the log (not a pop-up: a folder may simply not be Verbatim's)
   * says once where the server looked, and where its settings came from.
   */
  private explainMissingCorpus(uri: string): void {
    const path = uriToPath(uri);
    if (!path || !/\.(md|markdown)$/iu.test(path)) return;
    const folder = this.workspace.folderOf(path);
    const state = folder ? this.workspace.stateOf(folder) : undefined;
    let key: string;
    let message: string;
    if (!folder) {
      key = `loose\u0000${dirname(path)}\u0000${this.workspace.looseCorpusName}`;
      message =
        `Verbatim: ${path} has no corpus: it is in no workspace folder, and no folder from ${dirname(path)} up holds a "${this.workspace.looseCorpusName}" folder. ` +
        'Start the server with a root folder (rootUri or workspaceFolders; root_dir in Neovim), or set verbatim.corpus.';
    } else if (state && !state.corpus) {
      key = `folder\u0000${folder}\u0000${state.error ?? ''}`;
      message = `Verbatim: ${path} has no corpus: ${state.error ?? 'the corpus could not be read'}; settings from ${state.settingsFrom}, for the folder ${folder}.`;
    } else {
      return;
    }
    if (this.explained.has(key)) return;
    this.explained.add(key);
    // A warning, because Neovim's log keeps warnings and above by default.
    this.connection.console.warn(message);
  }

  private folderOf(uri: string): string | undefined {
    const path = uriToPath(uri);
    return path ? this.workspace.folderOf(path) : undefined;
  }

  private setFolders(folders: string[]): void {
    this.workspaceFolders = folders;
    this.workspace.setFolders(folders);
  }

  /** Memory figures for diagnosing a long session (after a collection when node runs with --expose-gc). */
  private stats(): { rss: number; heapUsed: number; heapTotal: number; openDocuments: number } {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    return { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, openDocuments: this.documents.all().length };
  }
}
