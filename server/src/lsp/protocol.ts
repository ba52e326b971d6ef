/**
 * Verbatim's own messages beyond LSP, declared once with their types: the
 * server, the VS Code client and the tests all import them from here, so a
 * change to a message's shape is a type error on both sides.
 */
import { NotificationType, NotificationType0, RequestType, RequestType0, type Range } from 'vscode-languageserver-protocol';

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

/** A span of an open source that a note quotes: `verbatim` where the note keeps the source's words, `changed` where it alters them. */
export interface SourceQuotationSpan {
  range: Range;
  match: 'verbatim' | 'changed';
}

/**
 * The spans of a source (its file, or its `verbatim-source:` view) that the workspace's notes quote, for the client to
 * highlight; empty for a document that is no source. The server stays editor-neutral: how a span looks is the client's.
 */
export const sourceQuotationsRequest = new RequestType<{ uri: string }, SourceQuotationSpan[], void>('verbatim/sourceQuotations');

/** What the notes quote has changed (a note edited, saved or read for the first time): a client showing sources asks again. */
export const sourceQuotationsChangedNotification = new NotificationType0('verbatim/sourceQuotationsChanged');

/**
 * The command a quoted paragraph's CodeLens names, with the arguments `[uri, position, locations]` (the source, the
 * paragraph's start, each quotation's place in its note): the VS Code client shows the locations as references there.
 * Other editors show the CodeLens's title.
 */
export const SHOW_SOURCE_QUOTATIONS_COMMAND = 'verbatim.showSourceQuotations';
