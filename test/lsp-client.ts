import { spawn, type ChildProcess } from 'node:child_process';
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

export interface TestSettings {
  corpus?: string;
  severity?: Record<string, string>;
  debounceMs?: number;
  notes?: string[];
}

/** A scripted LSP client talking to the built server over stdio. */
export class LspTestClient {
  readonly diagnostics = new EventLog<PublishDiagnosticsParams>();
  readonly status = new EventLog<{ folder: string; sources: number; paragraphs: number; error?: string }>();
  readonly messages: string[] = [];
  settings: TestSettings = { debounceMs: 0 };
  private readonly documents = new Map<string, TextDocument>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static start(args: string[] = [join(root, 'bin', 'verbatim.js'), 'lsp', '--stdio']): LspTestClient {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspTestClient(child, connection);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => client.diagnostics.push(params));
    connection.onNotification('verbatim/status', (params: { folder: string; sources: number; paragraphs: number }) => client.status.push(params));
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      client.messages.push(params.message);
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => client.settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      client.messages.push(params.message);
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    return client;
  }

  async initialize(folder: string): Promise<void> {
    const ready = this.status.next((s) => s.folder === folder);
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: URI.file(folder).toString(),
      workspaceFolders: [{ uri: URI.file(folder).toString(), name: 'test' }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: false }, hover: { contentFormat: ['markdown'] } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    await ready;
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
