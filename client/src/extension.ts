import { join } from 'node:path';
import { basename } from 'node:path';
import { commands, StatusBarAlignment, Uri, ViewColumn, window, workspace, type ExtensionContext, type StatusBarItem } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SourceQuotationDecorations, type QuotedSpans } from './source-quotations.js';
import { reindexRequest, reportRequest, SOURCE_TEXT_SCHEME, sourceTextRequest, statusNotification, type CorpusStatus } from '../../server/src/lsp/protocol.js';


/** What `activate` returns: the tests drive the extension through it. */
export interface VerbatimApi {
  client: LanguageClient;
  /** Resolves once the server has reported a corpus. */
  ready: Promise<CorpusStatus>;
  /** The spans last highlighted in an open source as quoted by the notes, by the document's URI. */
  quotedSpans: (uri: string) => QuotedSpans | undefined;
}

function showStatus(item: StatusBarItem, status: CorpusStatus): void {
  item.text = status.error ? '$(warning) Verbatim' : `$(quote) ${status.sources} sources · ${status.paragraphs} ¶`;
  item.tooltip = status.error ?? `Verbatim corpus for ${status.folder}: ${status.sources} sources, ${status.paragraphs} paragraphs`;
  item.show();
}

/**
 * The active note's verification report in a webview: the server's page as it is, under its own
 * Content-Security-Policy, with scripts and forms off in the webview as well.
 */
async function openReport(client: LanguageClient): Promise<void> {
  const note = window.activeTextEditor?.document;
  if (note?.languageId !== 'markdown') {
    void window.showInformationMessage('Verbatim: open a markdown note to see its verification report.');
    return;
  }
  const html = await client.sendRequest(reportRequest, { uri: note.uri.toString() });
  if (html === null) {
    void window.showInformationMessage(`Verbatim: ${basename(note.uri.fsPath)} has no corpus to be checked against.`);
    return;
  }
  const panel = window.createWebviewPanel('verbatim.report', `Verification: ${basename(note.uri.fsPath)}`, ViewColumn.Beside, {
    enableScripts: false,
    enableForms: false,
    localResourceRoots: [],
  });
  panel.webview.html = html;
}

/** Starts the language server for markdown notes; everything else happens in the server. */
export async function activate(context: ExtensionContext): Promise<VerbatimApi> {
  const module = context.asAbsolutePath(join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Notes, and the sources they quote: text files, and documents' extracted texts.
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: SOURCE_TEXT_SCHEME },
    ],
    synchronize: { configurationSection: 'verbatim' },
    // Beside the settings: whether attachments outside the corpus may be read, where extracted texts are cached,
    // and that a document source's extracted text can be shown (see the content provider below).
    initializationOptions: { workspaceTrusted: workspace.isTrusted, storagePath: context.globalStorageUri.fsPath, sourceTextDocuments: true },
  };
  const client = new LanguageClient('verbatim', 'Verbatim', serverOptions, clientOptions);
  const statusItem = window.createStatusBarItem(StatusBarAlignment.Right, 100);
  statusItem.command = 'verbatim.reindexCorpus';
  let resolveReady: (status: CorpusStatus) => void = () => undefined;
  const ready = new Promise<CorpusStatus>((resolve) => (resolveReady = resolve));
  const quotations = new SourceQuotationDecorations(client);

  context.subscriptions.push(
    statusItem,
    client.onNotification(statusNotification, (status) => {
      showStatus(statusItem, status);
      resolveReady(status);
    }),
    commands.registerCommand('verbatim.restartServer', () => client.restart()),
    commands.registerCommand('verbatim.reindexCorpus', () => client.sendRequest(reindexRequest)),
    // A PDF's, web page's or Word file's extracted text, read-only, as Go to Definition opens it.
    workspace.registerTextDocumentContentProvider(SOURCE_TEXT_SCHEME, {
      provideTextDocumentContent: async (uri) => (await client.sendRequest(sourceTextRequest, { uri: uri.toString() })) ?? '',
    }),
    commands.registerCommand('verbatim.openOriginal', (uri?: Uri) => {
      const shown = uri ?? window.activeTextEditor?.document.uri;
      if (shown?.scheme === SOURCE_TEXT_SCHEME) return commands.executeCommand('vscode.open', shown.with({ scheme: 'file' }));
      return undefined;
    }),
    commands.registerCommand('verbatim.openReport', () => openReport(client)),
    ...quotations.register(),
    // Trust decides which attachments the server reads: it starts again with the new answer.
    workspace.onDidGrantWorkspaceTrust(() => client.restart()),
    client,
  );
  await client.start();
  void quotations.refresh();
  return { client, ready, quotedSpans: (uri) => quotations.quotedSpans(uri) };
}

export function deactivate(): Thenable<void> | undefined {
  return undefined;
}
