import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionParams, type CancellationToken } from 'vscode-languageserver';
import { completionContext, keyCompletions, locatorCompletions } from '../engine/services/completion.js';
import type { ServerContext } from './context.js';

/** Keys after `[@`, `@` and `; @`; paragraph numbers after `¶ ` or `para. `, and a PDF's pages after `p. `, inside a citation. */
export function provideCompletion(context: ServerContext, params: CompletionParams, token: CancellationToken): CompletionItem[] | null {
  const document = context.documents.get(params.textDocument.uri);
  const state = context.noteState(params.textDocument.uri);
  if (!document || !state || token.isCancellationRequested) return null;
  // For an archive, its catalogue: every key, and no text to offer paragraphs from; with the note's own sources when its front matter names some.
  const corpus = context.corpusOf(document, state);
  const { line, character } = params.position;
  const linePrefix = document.getText({ start: { line, character: 0 }, end: params.position });
  const where = completionContext(linePrefix);
  if (!where) return null;
  if (where.kind === 'key') {
    const range = { start: { line, character: character - where.typed.length }, end: params.position };
    return keyCompletions(corpus).map((entry) => ({
      label: entry.label,
      kind: CompletionItemKind.Reference,
      detail: entry.detail,
      documentation: { kind: MarkupKind.Markdown, value: entry.documentation },
      filterText: entry.filterText,
      sortText: entry.sortText,
      textEdit: { range, newText: entry.label },
    }));
  }
  return locatorCompletions(corpus, where).map((entry) => ({
    label: entry.label,
    kind: CompletionItemKind.Value,
    detail: entry.detail,
    documentation: { kind: MarkupKind.Markdown, value: entry.documentation },
    filterText: entry.filterText,
    sortText: entry.sortText,
  }));
}
