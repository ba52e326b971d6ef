import { MarkupKind, type Hover, type HoverParams, type CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { citationAt, judgedAt, quotationAt } from '../engine/services/locate.js';
import { citationHover, claimHover, quotationHover, unsupportedFigureHover } from '../engine/services/hover.js';
import type { ServerContext } from './context.js';
import type { SourceReuseFeature } from './source-reuse.js';

/** Hover on a source paragraph names the other sources that carry its text. */
async function sourceHover(reuse: SourceReuseFeature, params: HoverParams, document: TextDocument, token: CancellationToken): Promise<Hover | null> {
  const shared = await reuse.hover(document, params.position, token);
  return shared ? { contents: { kind: MarkupKind.Markdown, value: shared.value }, range: shared.range } : null;
}

/** Hover on a quotation shows its verdict and the source passage; on a citation, the source; on a corpus source's paragraph, its reuse. */
export function provideHover(context: ServerContext, reuse: SourceReuseFeature, params: HoverParams, token: CancellationToken): Hover | null | Promise<Hover | null> {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return null;
  if (!context.noteState(document.uri)) return sourceHover(reuse, params, document, token);
  const snapshot = context.snapshot(document);
  if (!snapshot || token.isCancellationRequested) return null;
  const { analysis, lines } = snapshot.result;
  const offset = lines.offset(params.position);
  const citation = citationAt(analysis, offset);
  if (citation) {
    const value = citationHover(snapshot.corpus, citation.item);
    if (!value) return null;
    return { contents: { kind: MarkupKind.Markdown, value }, range: lines.range(citation.item.keySpan.start, citation.item.keySpan.end) };
  }
  const quotation = quotationAt(analysis, offset);
  const judged = quotation ? judgedAt(snapshot.result.judged, quotation) : undefined;
  if (!quotation || !judged) {
    const under = (code: string) => snapshot.result.diagnostics.find((d) => d.code === code && lines.offset(d.range.start) <= offset && offset <= lines.offset(d.range.end));
    const figure = under('claim-unsupported');
    if (figure) return { contents: { kind: MarkupKind.Markdown, value: unsupportedFigureHover(figure.message, figure.data ?? {}) }, range: figure.range };
    const claim = under('claim-uncited');
    return claim ? { contents: { kind: MarkupKind.Markdown, value: claimHover(claim.data ?? {}) }, range: claim.range } : null;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: quotationHover(snapshot.corpus, judged) },
    range: lines.range(quotation.span.start, quotation.span.end),
  };
}
