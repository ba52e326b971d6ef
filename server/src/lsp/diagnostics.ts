import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { problemDiagnostic } from '../engine/diagnostics.js';
import type { ServerContext } from './context.js';
import { toLspDiagnostic } from './convert.js';
import { pathToUri, type FolderState } from './workspace.js';

/**
 * Publishes diagnostics for open notes, debounced: each keystroke restarts the
 * note's timer, so stale work is abandoned before it starts, and a result is
 * published only if the document is still at the version it was made for.
 * Opening, re-indexing and the claim tagger's arrival all ask for a check; a
 * version is published again only when its diagnostics differ, so a client
 * hears once per version what it already knows.
 */
export class DiagnosticsFeature {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What each open document was last sent: its version and its diagnostics as JSON. */
  private readonly sent = new Map<string, { version: number; json: string }>();

  constructor(
    private readonly context: ServerContext,
    /** Called after diagnostics are published: the moment to load what is only needed later. */
    private readonly published: () => void = () => undefined,
  ) {}

  schedule(document: TextDocument): void {
    this.cancel(document.uri);
    const delay = this.context.noteState(document.uri)?.settings.debounceMs ?? 0;
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        this.validate(document.uri);
      }, delay),
    );
  }

  /** Checks the open document now and publishes, unless it changed meanwhile. */
  validate(uri: string): void {
    const document = this.context.documents.get(uri);
    if (!document) return;
    const version = document.version;
    const snapshot = this.context.snapshot(document);
    if (this.context.documents.get(uri)?.version !== version) return;
    const diagnostics = snapshot ? snapshot.result.diagnostics.map(toLspDiagnostic) : [];
    const json = JSON.stringify(diagnostics);
    const last = this.sent.get(uri);
    if (last?.version === version && last.json === json) return;
    this.sent.set(uri, { version, json });
    void this.context.connection.sendDiagnostics({ uri, version, diagnostics });
    this.published();
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

  validateAll(): void {
    for (const document of this.context.documents.all()) this.validate(document.uri);
  }

  /** Corpus files that cannot be read get a diagnostic of their own; files that recovered are cleared. */
  publishCorpusProblems(state: FolderState): void {
    const byUri = new Map<string, LspDiagnostic[]>();
    for (const problem of state.corpus?.problems ?? []) {
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
