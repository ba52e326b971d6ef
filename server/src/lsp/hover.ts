import { MarkupKind, type Hover, type HoverParams, type CancellationToken, type MarkupContent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { citationAt, judgedAt, quotationAt } from '../engine/services/locate.js';
import { citationHover, claimHover, quotationHover, unsupportedFigureHover } from '../engine/services/hover.js';
import type { ServerContext } from './context.js';
import type { SourceReuseFeature } from './source-reuse.js';
import type { SourceUsesFeature } from './source-uses.js';

/** What a corpus source answers on hover: the notes' quotations of it, and the other sources that carry its text. */
export interface SourceHovers {
  readonly uses: SourceUsesFeature;
  readonly reuse: SourceReuseFeature;
}

/** Hover in a corpus source: the quotations of the span under the cursor, then the paragraph's reuse by other sources. */
async function sourceHover(sources: SourceHovers, quoted: Hover | null, params: HoverParams, document: TextDocument | undefined, token: CancellationToken): Promise<Hover | null> {
  const shared = document ? await sources.reuse.hover(document, params.position, token) : undefined;
  if (!shared) return quoted;
  if (!quoted) return { contents: { kind: MarkupKind.Markdown, value: shared.value }, range: shared.range };
  const value = `${(quoted.contents as MarkupContent).value}\n\n---\n\n${shared.value}`;
  return { contents: { kind: MarkupKind.Markdown, value }, range: quoted.range };
}

/** Hover on a quotation shows its verdict and the source passage; on a citation, the source; in a corpus source, its quotations and reuse. */
export function provideHover(context: ServerContext, sources: SourceHovers, params: HoverParams, token: CancellationToken): Hover | null | Promise<Hover | null> {
  const document = context.documents.get(params.textDocument.uri);
  // Undefined when the document is no corpus source; null when it is one and nothing of it is quoted there.
  const quoted = sources.uses.hover(params.textDocument.uri, params.position);
  if (quoted !== undefined || (document && !context.noteState(document.uri))) return sourceHover(sources, quoted ?? null, params, document, token);
  if (!document) return null;
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
