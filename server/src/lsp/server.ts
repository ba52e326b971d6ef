import { dirname } from 'node:path';
import {
  CodeLensRefreshRequest,
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
import {
  reindexRequest,
  reportRequest,
  sourceQuotationsChangedNotification,
  sourceQuotationsRequest,
  sourceTextRequest,
  statsRequest,
  type CorpusStatus,
} from './protocol.js';
import { provideReport } from './report.js';
import { provideDefinition } from './definition.js';
import { DiagnosticsFeature } from './diagnostics.js';
import { provideHover } from './hover.js';
import { provideReferences } from './references.js';
import { SourceReuseFeature } from './source-reuse.js';
import { SourceUsesFeature } from './source-uses.js';
import { pathToUri, readEnvironment, uriToPath, Workspace } from './workspace.js';


/** Wires the language server's features to a connection (IPC for VS Code, stdio for other editors). */
export function startServer(connection: Connection): void {
  new VerbatimServer(connection).listen();
}

/**
 * The English tagger for claims takes about 200 ms to set up. It loads at
 * start-up, beside the corpus, and notes are first checked once both are in:
 * a note's first diagnostics are complete, published once, not in two rounds.
 */
class ClaimDetection {
  private loading?: Promise<void>;
  private settled = false;

  constructor(
    private readonly loaded: (tagger: ClaimTagger) => void,
    private readonly failed: (message: string) => void,
  ) {}

  /** Starts loading the tagger (once); resolves when it is in (or could not be) and its arrival has been acted on. */
  request(): Promise<void> {
    // After the messages already waiting: a request sent with the first note is answered first.
    this.loading ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => ClaimTagger.load())
      .then(
        (tagger) => {
          this.settled = true;
          this.loaded(tagger);
        },
        // A tagger that cannot load must not keep every note unpublished: they are checked without claims, and the log says so.
        (error: unknown) => {
          this.settled = true;
          this.failed(`Verbatim: the claim tagger could not load (${error instanceof Error ? error.message : String(error)})`);
        },
      );
    return this.loading;
  }

  /** Whether notes may be checked: the tagger is in, or will not come. */
  get ready(): boolean {
    return this.settled;
  }
}

/** The server's state — what the client can do, its folders, its open notes — with one method per protocol event. */
class VerbatimServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace = new Workspace();
  private readonly settings: ClientSettings;
  private readonly context: ServerContext;
  private readonly claims: ClaimDetection;
  private readonly diagnostics: DiagnosticsFeature;
  private readonly corpora: Corpora;
  private readonly sourceReuse: SourceReuseFeature;
  private readonly sourceUses: SourceUsesFeature;
  private canWatchFiles = false;
  private canRefreshCodeLenses = false;
  private canWatchFolders = false;
  private workspaceFolders: string[] = [];
  /** Notes opened before their folder's corpus was there: they are checked when it is, not before. */
  private readonly awaitingCorpus = new Set<string>();
  /** What has been logged about notes without a corpus: each explanation once. */
  private readonly explained = new Set<string>();

  constructor(private readonly connection: Connection) {
    this.settings = new ClientSettings(connection);
    this.context = new ServerContext(connection, this.documents, this.workspace);
    this.claims = new ClaimDetection(
      (tagger) => this.claimsLoaded(tagger),
      (message) => this.connection.console.error(message),
    );
    this.diagnostics = new DiagnosticsFeature(this.context);
    this.sourceReuse = new SourceReuseFeature(this.context);
    this.sourceUses = new SourceUsesFeature(this.context, () => this.sourceQuotationsChanged());
    this.context.onChecked = (snapshot) => this.sourceUses.noteChecked(snapshot);
    this.corpora = new Corpora(connection, this.workspace, this.settings, this.diagnostics, (folder) => this.corpusChanged(folder));
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
    connection.onRequest(reportRequest, ({ uri }) => provideReport(context, uri));
    connection.onRequest(sourceQuotationsRequest, ({ uri }) => this.sourceUses.spans(uri));
    // An archive's connection is closed before the process ends.
    connection.onShutdown(() => this.corpora.dispose());

    documents.onDidOpen((event) => this.opened(event.document));
    documents.onDidChangeContent((event) => this.changed(event.document));
    documents.onDidClose((event) => {
      this.diagnostics.clear(event.document.uri);
      this.sourceUses.closed(event.document.uri);
    });

    connection.onHover((params, token) => provideHover(context, { uses: this.sourceUses, reuse: this.sourceReuse }, params, token));
    connection.onCompletion((params, token) => provideCompletion(context, params, token));
    connection.onDefinition((params, token) => provideDefinition(context, params, token));
    connection.onReferences((params, token) => this.sourceUses.references(params.textDocument.uri, params.position) ?? provideReferences(context, params, token));
    connection.onCodeLens((params) => this.sourceUses.codeLenses(params.textDocument.uri));
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
    if (!this.canWatchFiles) this.corpora.watchCorpusFolders();
    this.canWatchFolders = capabilities.workspace?.workspaceFolders === true;
    this.canRefreshCodeLenses = capabilities.workspace?.codeLens?.refreshSupport === true;
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
        codeLensProvider: { resolveProvider: false },
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
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{txt,md,markdown,json,bib,bibtex,yaml,yml,pdf,html,htm,docx}' }] });
    }
    if (this.canWatchFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => this.foldersChanged(event));
    void this.claims.request();
    await this.reloadAll();
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
    this.corpora.filesChanged(paths);
    // A note's own bibliography or source changed: that note is checked again (its corpus is read afresh).
    for (const uri of this.context.sourcesChanged(paths)) void this.check(uri);
    this.sourceUses.filesChanged(paths.filter((path) => this.context.noteState(pathToUri(path))));
  }

  /** A folder's corpus is ready (again): open notes are checked, and every note is read for what it quotes. */
  private corpusChanged(folder: string): void {
    void this.checkAll();
    void this.sourceUses.readFolder(folder);
  }

  private sourceQuotationsChanged(): void {
    void this.connection.sendNotification(sourceQuotationsChangedNotification);
    if (this.canRefreshCodeLenses) void this.connection.sendRequest(CodeLensRefreshRequest.type);
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
    this.sourceReuse.prepare(uri);
    // The latest version, edits made while the corpus loaded included.
    await this.check(uri);
  }

  private changed(document: TextDocument): void {
    // Opening fires a change too; a note still waiting for its corpus (or the claim tagger) is checked when it is there.
    if (this.awaitingCorpus.has(document.uri) || !this.claims.ready) return;
    this.diagnostics.schedule(document);
  }

  /** The tagger is in: every check so far was made without claims. */
  private claimsLoaded(tagger: ClaimTagger): void {
    this.workspace.useClaimTagger(tagger);
    this.context.forgetAll();
    void this.checkAll();
  }

  /** Loads the corpus of every folder that has open notes or is a workspace folder, then re-checks open notes. */
  private async reloadAll(): Promise<CorpusStatus[]> {
    const folders = new Set([...this.workspace.allStates().map((s) => s.folder), ...this.workspaceFolders]);
    for (const document of this.documents.all()) {
      const folder = this.folderOf(document.uri);
      if (folder) folders.add(folder);
    }
    await Promise.all([...folders].map((folder) => this.corpora.load(folder)));
    // Answered after the notes' diagnostics, claims included: a client that waits for the answer has them.
    await this.claims.request();
    await this.checkAll();
    return [...folders].flatMap((folder) => {
      const state = this.workspace.stateOf(folder);
      return state ? [corpusStatus(state)] : [];
    });
  }

  private async check(uri: string): Promise<void> {
    // Its corpus is still loading, or the claim tagger is: checked (once) when both are there, rather than published empty or in two rounds now.
    if (this.awaitingCorpus.has(uri) || !this.claims.ready) return;
    // A text source opened to see what the notes quote of it is no note.
    if (this.documents.get(uri)?.languageId === 'plaintext') return;
    this.explainMissingCorpus(uri);
    await this.diagnostics.validate(uri);
  }

  private async checkAll(): Promise<void> {
    // Open corpus sources: their text reuse is searched again in the background against a reloaded corpus.
    for (const document of this.documents.all()) this.sourceReuse.prepare(document.uri);
    await Promise.all(this.documents.all().map((document) => this.check(document.uri)));
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
    } else if (state && !state.loaded) {
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
