import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerContext } from './context.js';
import { loadClaimDetection } from '../engine/claims/detect.js';
import { DiagnosticsFeature } from './diagnostics.js';
import { provideHover } from './hover.js';
import { provideCompletion } from './completion.js';
import { provideDefinition } from './definition.js';
import { provideReferences } from './references.js';
import { provideCodeActions } from './code-actions.js';
import { DEFAULT_SETTINGS, readSettings, type VerbatimSettings } from './settings.js';
import { pathToUri, uriToPath, Workspace, type FolderState } from './workspace.js';

/** What the client shows in its status bar. */
export interface CorpusStatus {
  folder: string;
  sources: number;
  paragraphs: number;
  bytes: number;
  loadMs: number;
  error?: string;
}

const STATUS_NOTIFICATION = 'verbatim/status';
const INDEXING_NOTIFICATION = 'verbatim/indexing';
const REINDEX_REQUEST = 'verbatim/reindex';
const STATS_REQUEST = 'verbatim/stats';
/** Above this much source text, indexing is announced so the client can show progress. */
const LARGE_CORPUS_BYTES = 2_000_000;

function status(state: FolderState): CorpusStatus {
  const corpus = state.corpus;
  return {
    folder: state.folder,
    sources: corpus?.sources.length ?? 0,
    paragraphs: corpus?.sources.reduce((n, s) => n + s.paragraphs.length, 0) ?? 0,
    bytes: state.bytes,
    loadMs: Math.round(state.loadMs),
    error: state.error,
  };
}

/** Wires the language server's features to a connection (IPC for VS Code, stdio for other editors). */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace();
  const context = new ServerContext(connection, documents, workspace);
  /**
   * The English tagger for claims takes about 200 ms to set up: it loads after
   * the first diagnostics are out, and then open notes are checked again.
   */
  let claimsRequested = false;
  const loadClaimsOnce = (): void => {
    if (claimsRequested) return;
    claimsRequested = true;
    setTimeout(() => void loadClaimDetection().then(() => diagnostics.validateAll()), 0);
  };
  const diagnostics = new DiagnosticsFeature(context, loadClaimsOnce);
  let canAskConfiguration = false;
  let canWatchFiles = false;
  let canWatchFolders = false;
  let globalSettings: VerbatimSettings = readSettings(undefined);

  const settingsFor = async (folder: string): Promise<VerbatimSettings> => {
    if (!canAskConfiguration) return globalSettings;
    const [value] = (await connection.workspace.getConfiguration([{ scopeUri: pathToUri(folder), section: 'verbatim' }])) as unknown[];
    return readSettings(value);
  };

  /** Loads in progress: a note that opens while its folder's corpus is loading waits for that load instead of starting a second one. */
  const loading = new Map<string, Promise<FolderState>>();

  const loadFolder = async (folder: string): Promise<FolderState> => {
    const load = readFolder(folder);
    loading.set(folder, load);
    try {
      return await load;
    } finally {
      if (loading.get(folder) === load) loading.delete(folder);
    }
  };

  const readFolder = async (folder: string): Promise<FolderState> => {
    const settings = await settingsFor(folder);
    const announce = (workspace.stateOf(folder)?.bytes ?? LARGE_CORPUS_BYTES) >= LARGE_CORPUS_BYTES;
    if (announce) void connection.sendNotification(INDEXING_NOTIFICATION, { folder, done: false });
    const state = workspace.load(folder, settings);
    if (announce) void connection.sendNotification(INDEXING_NOTIFICATION, { folder, done: true });
    // A workspace without a corpus folder is simply not Verbatim's business: only a corpus the user set explicitly is worth a message.
    if (state.error && settings.corpus !== DEFAULT_SETTINGS.corpus) {
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Verbatim: ${state.error}` });
    }
    diagnostics.publishCorpusProblems(state);
    void connection.sendNotification(STATUS_NOTIFICATION, status(state));
    return state;
  };

  /** Loads the corpus of every folder that has open notes or is a workspace folder, then re-checks open notes. */
  const reloadAll = async (): Promise<CorpusStatus[]> => {
    const folders = new Set(workspace.allStates().map((s) => s.folder));
    for (const folder of workspaceFolders) folders.add(folder);
    for (const document of documents.all()) {
      const path = uriToPath(document.uri);
      const folder = path ? workspace.folderOf(path) : undefined;
      if (folder) folders.add(folder);
    }
    const states: FolderState[] = [];
    for (const folder of folders) states.push(await loadFolder(folder));
    diagnostics.validateAll();
    return states.map(status);
  };

  /** The first time a note from a folder without a loaded corpus opens. */
  const ensureFolder = async (uri: string): Promise<void> => {
    const path = uriToPath(uri);
    const folder = path ? workspace.folderOf(path) : undefined;
    if (folder && !workspace.stateOf(folder)) await (loading.get(folder) ?? loadFolder(folder));
  };

  let workspaceFolders: string[] = [];

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    canAskConfiguration = capabilities.workspace?.configuration === true;
    canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canWatchFolders = capabilities.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined) ?? [];
    const rootPath = params.rootUri ? uriToPath(params.rootUri) : undefined;
    workspaceFolders = folders.length > 0 ? folders : rootPath ? [rootPath] : [];
    workspace.setFolders(workspaceFolders);
    const initializationSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initializationSettings !== undefined) globalSettings = readSettings(initializationSettings);
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
  });

  connection.onInitialized(async () => {
    if (canAskConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{txt,md,markdown,json,bib}' }] });
    }
    if (canWatchFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
        const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
        const added = event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
        workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...added];
        workspace.setFolders(workspaceFolders);
        await reloadAll();
      });
    }
    await reloadAll();
    // With no note open, the tagger loads when the server is idle anyway.
    setTimeout(loadClaimsOnce, 1000);
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (!canAskConfiguration) globalSettings = readSettings((change.settings as { verbatim?: unknown } | undefined)?.verbatim);
    await reloadAll();
  });

  let pendingCorpusReload: ReturnType<typeof setTimeout> | undefined;
  const changedFolders = new Set<string>();
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
      for (const state of workspace.statesWithCorpusFile(path)) changedFolders.add(state.folder);
    }
    if (changedFolders.size === 0) return;
    // Saving several sources at once triggers one re-index.
    if (pendingCorpusReload) clearTimeout(pendingCorpusReload);
    pendingCorpusReload = setTimeout(() => void (async () => {
      const folders = [...changedFolders];
      changedFolders.clear();
      for (const folder of folders) await loadFolder(folder);
      diagnostics.validateAll();
    })(), 50);
  });

  connection.onRequest(REINDEX_REQUEST, () => reloadAll());
  // Memory figures for diagnosing a long session (after a collection when node runs with --expose-gc).
  connection.onRequest(STATS_REQUEST, () => {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    return { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, openDocuments: documents.all().length };
  });

  documents.onDidOpen(async (event) => {
    await ensureFolder(event.document.uri);
    diagnostics.validate(event.document.uri);
  });
  documents.onDidChangeContent((event) => diagnostics.schedule(event.document));
  documents.onDidClose((event) => diagnostics.clear(event.document.uri));

  connection.onHover((params, token) => provideHover(context, params, token));
  connection.onCompletion((params, token) => provideCompletion(context, params, token));
  connection.onDefinition((params, token) => provideDefinition(context, params, token));
  connection.onReferences((params, token) => provideReferences(context, params, token));
  connection.onCodeAction((params) => provideCodeActions(context, params));

  documents.listen(connection);
  connection.listen();
}
