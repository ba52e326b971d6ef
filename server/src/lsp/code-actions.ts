import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { quickFixes, type QuickFix } from '../engine/fixes.js';
import type { ServerContext } from './context.js';
import { toLspDiagnostic } from './convert.js';

function fixAction(uri: string, diagnostic: Diagnostic, fix: QuickFix): CodeAction {
  const change: TextEdit = { range: fix.range, newText: fix.newText };
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit: { changes: { [uri]: [change] } } };
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

type Range = Diagnostic['range'];
type Position = Range['start'];

const before = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);
const isEmpty = (r: Range): boolean => !before(r.start, r.end);

/**
 * Whether a diagnostic's range meets the requested one. An empty range (a
 * cursor) meets a diagnostic it touches, at either end; two ranges that both
 * have extent must share a character, so a selection ending where the next
 * diagnostic starts does not pick that one up.
 */
function meets(a: Range, b: Range): boolean {
  if (isEmpty(a) || isEmpty(b)) return !before(a.end, b.start) && !before(b.end, a.start);
  return before(a.start, b.end) && before(b.start, a.end);
}

/**
 * Quick fixes of every diagnostic whose range meets the requested range, plus
 * "Ignore". The diagnostics are the server's own check of the document as it
 * is now, not the editor's copies: an edit can only land on the span it was
 * made for, and an editor that sends slightly different ranges (Neovim 0.7
 * counts bytes after non-ASCII characters) still gets its fixes.
 */
export function provideCodeActions(context: ServerContext, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  // Asked only for other kinds (a source action on save, say): quick fixes are not among them.
  if (only && !only.some((kind) => kind === CodeActionKind.Empty || kind === CodeActionKind.QuickFix)) return [];
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return [];
  const current = context.snapshot(document)?.result.diagnostics ?? [];
  const actions: CodeAction[] = [];
  const ignores = new Set<string>();
  for (const found of current) {
    if (!meets(found.range, params.range)) continue;
    const diagnostic = toLspDiagnostic(found);
    for (const fix of quickFixes(found.data)) actions.push(fixAction(document.uri, diagnostic, fix));
    // Two diagnostics of one code on one line would insert the same comment.
    const ignore = `${found.code}:${found.range.start.line}`;
    if (found.code !== 'corpus-error' && !ignores.has(ignore)) {
      ignores.add(ignore);
      actions.push(ignoreAction(document, diagnostic, found.code));
    }
  }
  return actions;
}
