import { spawn, type ChildProcess } from 'node:child_process';
import { statusNotification } from '../server/src/lsp/protocol.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { root } from './paths.js';

type Listener<T> = { match: (value: T) => boolean; resolve: (value: T) => void };

/** Something that arrives later: waiters are resolved by the event itself, never by a timer. */
class EventLog<T> {
  readonly seen: T[] = [];
  private listeners: Listener<T>[] = [];

  push(value: T): void {
    this.seen.push(value);
    const ready = this.listeners.filter((l) => l.match(value));
    this.listeners = this.listeners.filter((l) => !l.match(value));
    for (const l of ready) l.resolve(value);
  }

  /** The next event (after now) that matches. */
  next(match: (value: T) => boolean): Promise<T> {
    return new Promise((resolve) => this.listeners.push({ match, resolve }));
  }
}

/** What `initialize` sends besides the folder: Neovim 0.7, for one, neither advertises nor answers `workspace/configuration`. */
export interface InitializeOptions {
  capabilities?: Record<string, unknown>;
  initializationOptions?: unknown;
}

export const FULL_CAPABILITIES = {
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
  textDocument: { publishDiagnostics: { relatedInformation: false }, hover: { contentFormat: ['markdown'] } },
};

export interface TestSettings {
  corpus?: string;
  severity?: Record<string, string>;
  debounceMs?: number;
  notes?: string[];
  frontMatterBibliography?: string;
}

/** A scripted LSP client talking to the built server over stdio. */
export class LspTestClient {
  readonly diagnostics = new EventLog<PublishDiagnosticsParams>();
  readonly status = new EventLog<{ folder: string; sources: number; paragraphs: number; error?: string }>();
  readonly messages: string[] = [];
  /**
   * Every diagnostics publication and status notification, in the order they
   * arrived, as `publish URI vVERSION` and `status FOLDER`; a test may add
   * its own (a request's answer, in its `then`, lands in order too).
   */
  readonly arrivals: string[] = [];
  /** `window/logMessage` texts: what a client puts in its log, not in front of the user. */
  readonly logs = new EventLog<string>();
  settings: TestSettings = { debounceMs: 0 };
  /** The answer to each `workspace/configuration` item; a test replaces it to play a client that answers differently. */
  configuration: (section: string | undefined) => unknown = () => this.settings;
  private readonly documents = new Map<string, TextDocument>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  /** `cacheHome`: the server's per-user cache folder (`XDG_CACHE_HOME`), by default a new one for this server. */
  static start(args: string[] = [join(root, 'bin', 'verbatim.js'), 'lsp', '--stdio'], cacheHome?: string): LspTestClient {
    // The server's caches (extracted texts, the index on disk, V8's code cache) go to a folder of the test's own, not the user's.
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome ?? mkdtempSync(join(tmpdir(), 'verbatim-lsp-cache-')) };
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspTestClient(child, connection);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.arrivals.push(`publish ${params.uri} v${params.version ?? '?'}`);
      client.diagnostics.push(params);
    });
    connection.onNotification(statusNotification, (params) => {
      client.arrivals.push(`status ${params.folder}`);
      client.status.push(params);
    });
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      client.arrivals.push('showMessage');
      client.messages.push(params.message);
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => client.logs.push(params.message));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => client.configuration(item.section)));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      client.messages.push(params.message);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    return client;
  }

  /** Initializes with `folder` as the workspace and resolves once its corpus is loaded. */
  async initialize(folder: string, options: InitializeOptions = {}): Promise<void> {
    const ready = this.status.next((s) => s.folder === folder);
    await this.handshake(folder, options);
    await ready;
  }

  /** `initialize` and `initialized`, without waiting for the corpus: what an editor does at start-up. */
  async handshake(folder: string | undefined, options: InitializeOptions = {}): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder ? URI.file(folder).toString() : null,
      workspaceFolders: folder ? [{ uri: URI.file(folder).toString(), name: 'test' }] : null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(path: string, text: string): Promise<PublishDiagnosticsParams> {
    const uri = URI.file(path).toString();
    this.documents.set(uri, TextDocument.create(uri, 'markdown', 1, text));
    const published = this.diagnostics.next((d) => d.uri === uri);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    return published;
  }

  text(uri: string): string {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`not open: ${uri}`);
    return document.getText();
  }

  /** Applies edits as the editor would, sends them incrementally, and resolves with the diagnostics for the new version. */
  async edit(uri: string, edits: TextEdit[]): Promise<PublishDiagnosticsParams> {
    const version = (this.documents.get(uri)?.version ?? 0) + 1;
    const published = this.diagnostics.next((d) => d.uri === uri && d.version === version);
    await this.type(uri, edits);
    return published;
  }

  /** Sends an edit without waiting for its diagnostics (typing faster than the server checks). */
  async type(uri: string, edits: TextEdit[]): Promise<number> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`not open: ${uri}`);
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.update(document, edits.map((e) => ({ range: e.range, text: e.newText })), version));
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    return version;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}

export function uriOf(path: string): string {
  return URI.file(path).toString();
}
