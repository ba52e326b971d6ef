import * as vscode from 'vscode';

/** How long any one wait may take before the test fails: a guard, never a pause. */
export const WAIT_MS = 20_000;

/** The workspace folder the launcher opened (a fresh copy of the bundled corpus and the test notes). */
export function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) throw new Error('the editor tests need a workspace folder');
  return first.uri;
}

export function fileIn(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(folder(), ...segments);
}

/** Resolves `promise`, or rejects once `ms` have passed without it. */
export async function within<T>(promise: Thenable<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves with the first value `probe` returns (asked now and after every
 * event); rejects after `ms`, saying what was last seen.
 */
export function when<T>(what: string, events: vscode.Event<unknown>[], probe: () => T | undefined, seen: () => string, ms = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    const done = (): void => {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    };
    const check = (): boolean => {
      let value: T | undefined;
      try {
        value = probe();
      } catch (error) {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
        return true;
      }
      if (value === undefined) return false;
      done();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}; last seen: ${seen()}`));
    }, ms);
    for (const event of events) subscriptions.push(event(() => void check()));
    check();
  });
}

/** Polls state that has no change event (such as an extension becoming active) until `probe` returns a value. */
export function until<T>(what: string, probe: () => T | undefined, ms = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const value = probe();
      if (value !== undefined) {
        clearInterval(poll);
        resolve(value);
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }
    }, 25);
  });
}

const SEVERITY_NAMES = ['error', 'warning', 'information', 'hint'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** One diagnostic as the tests compare it: code, severity, 0-based range, and the text the range covers. */
export type Row = [code: string, severity: SeverityName, startLine: number, startCharacter: number, endLine: number, endCharacter: number, text: string];

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Verbatim's diagnostics on a file (other extensions' are left out), in document order. */
export function verbatimDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'verbatim')
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

export function rowsOf(document: vscode.TextDocument, diagnostics: vscode.Diagnostic[]): Row[] {
  return diagnostics.map((d) => [
    codeOf(d),
    SEVERITY_NAMES[d.severity],
    d.range.start.line,
    d.range.start.character,
    d.range.end.line,
    d.range.end.character,
    document.getText(d.range),
  ]);
}

/** Waits until Verbatim's diagnostics on `uri` satisfy `holds`. */
export function diagnosticsWhere(uri: vscode.Uri, what: string, holds: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return when(
    `${what} on ${vscode.workspace.asRelativePath(uri)}`,
    [vscode.languages.onDidChangeDiagnostics],
    () => {
      const diagnostics = verbatimDiagnostics(uri);
      return holds(diagnostics) ? diagnostics : undefined;
    },
    () => JSON.stringify(verbatimDiagnostics(uri).map((d) => [codeOf(d), SEVERITY_NAMES[d.severity], d.range.start.line, d.range.start.character])),
  );
}

export function codesOf(diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics.map(codeOf);
}

/** The position of the first `needle` in the document, moved `delta` characters into it. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" is not in ${document.uri.path}`);
  return document.positionAt(offset + delta);
}

/** The text of a hover's parts, joined. */
export function hoverText(hover: vscode.Hover): string {
  return hover.contents.map((part) => (typeof part === 'string' ? part : part.value)).join('\n');
}

export async function writeFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}
