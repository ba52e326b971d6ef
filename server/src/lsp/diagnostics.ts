import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { problemDiagnostic } from '../engine/diagnostics.js';
import type { NoteSnapshot, ServerContext } from './context.js';
import { toLspDiagnostic } from './convert.js';
import { pathToUri, type FolderState } from './workspace.js';

/**
 * Publishes diagnostics for open notes, debounced: each keystroke restarts the
 * note's timer, so stale work is abandoned before it starts, and a result is
 * published only if the document is still at the version it was made for.
 * Opening, re-indexing and the claim tagger's arrival all ask for a check; a
 * version is published again only when its diagnostics differ, so a client
 * hears once per version what it already knows. A note whose corpus is not
 * there yet, or could not be read, is not published at all: an empty list
 * would say it has no problems.
 */
export class DiagnosticsFeature {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What each open document was last sent: its version and its diagnostics as JSON. */
  private readonly sent = new Map<string, { version: number; json: string }>();

  constructor(private readonly context: ServerContext) {}

  schedule(document: TextDocument): void {
    this.cancel(document.uri);
    const delay = this.context.noteState(document.uri)?.settings.debounceMs ?? 0;
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        void this.validate(document.uri);
      }, delay),
    );
  }

  /** Checks the open document now and publishes, unless it changed meanwhile or its corpus is not there. */
  async validate(uri: string): Promise<void> {
    const document = this.context.documents.get(uri);
    if (!document || this.context.withheld(uri)) return;
    const version = document.version;
    let snapshot: NoteSnapshot | undefined;
    try {
      snapshot = await this.context.check(document);
    } catch (error) {
      // An archive that stopped answering: the note keeps what it was last sent, and the log says why.
      this.context.connection.console.error(`Verbatim: ${uri} was not checked: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.context.documents.get(uri)?.version !== version || this.context.withheld(uri)) return;
    // No corpus to check against (not a note, or a folder with none): nothing to report.
    if (!snapshot && this.context.noteState(uri)) return;
    const diagnostics = snapshot ? snapshot.result.diagnostics.map(toLspDiagnostic) : [];
    const json = JSON.stringify(diagnostics);
    const last = this.sent.get(uri);
    if (last?.version === version && last.json === json) return;
    this.sent.set(uri, { version, json });
    void this.context.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  clear(uri: string): void {
    this.cancel(uri);
    this.sent.delete(uri);
    this.context.forget(uri);
    void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Corpus files that cannot be read get a diagnostic of their own; files that recovered are cleared. */
  publishCorpusProblems(state: FolderState): void {
    const byUri = new Map<string, LspDiagnostic[]>();
    for (const problem of state.loaded?.corpus.problems ?? []) {
      const diagnostic = problemDiagnostic(problem, state.settings.severity);
      if (!diagnostic) continue;
      const uri = pathToUri(problem.path);
      byUri.set(uri, [...(byUri.get(uri) ?? []), toLspDiagnostic(diagnostic)]);
    }
    for (const uri of state.problemUris) if (!byUri.has(uri)) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, diagnostics] of byUri) void this.context.connection.sendDiagnostics({ uri, diagnostics });
    state.problemUris = new Set(byUri.keys());
  }
}
