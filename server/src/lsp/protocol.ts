/**
 * Verbatim's own messages beyond LSP, declared once with their types: the
 * server, the VS Code client and the tests all import them from here, so a
 * change to a message's shape is a type error on both sides.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** What the client shows in its status bar. */
export interface CorpusStatus {
  folder: string;
  sources: number;
  paragraphs: number;
  bytes: number;
  loadMs: number;
  error?: string;
}

/**
 * A folder's corpus is ready (loaded or reloaded), or could not be read
 * (`error`). How far a load has come is told with LSP's own `$/progress`.
 */
export const statusNotification = new NotificationType<CorpusStatus>('verbatim/status');

/** Reloads every corpus; answers each folder's status. */
export const reindexRequest = new RequestType0<CorpusStatus[], void>('verbatim/reindex');

/** The server's memory, for the long-session test and the benchmark. */
export const statsRequest = new RequestType0<{ rss: number; heapUsed: number }, void>('verbatim/stats');

/**
 * A document source's extracted text is shown as a read-only document with
 * this URI scheme (the path is the original file's): a client that can show
 * one says so with `sourceTextDocuments: true` in `initializationOptions`,
 * and asks for its text with `sourceTextRequest`.
 */
export const SOURCE_TEXT_SCHEME = 'verbatim-source';

/** The extracted text behind a `verbatim-source:` URI, or null when no corpus holds that document. */
export const sourceTextRequest = new RequestType<{ uri: string }, string | null, void>('verbatim/sourceText');

/**
 * The verification report of an open note: the page `verbatim report` writes (self-contained HTML, no script, its
 * own Content-Security-Policy), or null when the document is not a note with a corpus.
 */
export const reportRequest = new RequestType<{ uri: string }, string | null, void>('verbatim/report');
