import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagnosticData, TextEditData } from '../engine/checks/report.js';
import { isDiagnosticCode } from '../engine/codes.js';
import type { ServerContext } from './context.js';

function isEdit(value: unknown): value is TextEditData & { title: string } {
  if (typeof value !== 'object' || value === null) return false;
  const edit = value as Record<string, unknown>;
  return typeof edit.title === 'string' && typeof edit.newText === 'string' && typeof edit.range === 'object' && edit.range !== null;
}

function fixAction(uri: string, diagnostic: Diagnostic, edit: TextEditData & { title: string }, preferred: boolean): CodeAction {
  const change: TextEdit = { range: edit.range, newText: edit.newText };
  return { title: edit.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [uri]: [change] } } };
}

/**
 * "Ignore this quotation": a `verbatim-disable-next-line` comment for the
 * diagnostic's line. Before the first line of a block it goes on a line of its
 * own; inside a paragraph it goes at the end of the previous line, since a
 * comment on a line of its own would split the paragraph (and could change
 * which citation the quotation belongs to).
 */
function ignoreAction(document: TextDocument, diagnostic: Diagnostic, code: string): CodeAction {
  const line = diagnostic.range.start.line;
  const comment = `<!-- verbatim-disable-next-line ${code} -->`;
  const previous = line > 0 ? document.getText({ start: { line: line - 1, character: 0 }, end: { line: line - 1, character: Number.MAX_SAFE_INTEGER } }) : '';
  const startsBlock = line === 0 || previous.replace(/[\r\n]/gu, '').trim() === '' || /^\s*(#|<!--)/u.test(previous);
  const edit: TextEdit = startsBlock
    ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${comment}${document.getText().includes('\r\n') ? '\r\n' : '\n'}` }
    : {
        range: {
          start: { line: line - 1, character: previous.replace(/[\r\n]+$/u, '').length },
          end: { line: line - 1, character: previous.replace(/[\r\n]+$/u, '').length },
        },
        newText: ` ${comment}`,
      };
  const title = code.startsWith('quote-') ? 'Ignore this quotation' : `Ignore this ${code} problem`;
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: [edit] } } };
}

const sameRange = (a: Diagnostic['range'], b: Diagnostic['range']): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Quick fixes carried on each diagnostic, plus "Ignore". The repair is taken
 * from a check of the document as it is now, never from the editor's copy of
 * an older diagnostic, so an edit can only land on the span it was made for.
 */
export function provideCodeActions(context: ServerContext, params: CodeActionParams): CodeAction[] {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return [];
  const current = context.snapshot(document)?.result.diagnostics ?? [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'verbatim' || typeof diagnostic.code !== 'string' || !isDiagnosticCode(diagnostic.code)) continue;
    const fresh = current.find((d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range));
    if (!fresh) continue;
    const data: DiagnosticData = fresh.data ?? {};
    if (isEdit(data.fix)) actions.push(fixAction(document.uri, diagnostic, data.fix, true));
    for (const alternative of data.alternatives ?? []) if (isEdit(alternative)) actions.push(fixAction(document.uri, diagnostic, alternative, actions.length === 0));
    if (diagnostic.code !== 'corpus-error') actions.push(ignoreAction(document, diagnostic, diagnostic.code));
  }
  return actions;
}
