import type { CancellationToken, DefinitionParams, Location } from 'vscode-languageserver';
import type { Source } from '../engine/corpus/corpus.js';
import { LineIndex } from '../engine/text/lines.js';
import { isVerified } from '../engine/match/judge.js';
import { citationAt, judgedAt, quotationAt } from '../engine/services/locate.js';
import { citationTarget, quotationTarget, type SourceSpan } from '../engine/services/navigation.js';
import type { ServerContext } from './context.js';

const sourceLines = new WeakMap<Source, LineIndex>();

function sourceLocation(context: ServerContext, target: SourceSpan): Location {
  let lines = sourceLines.get(target.source);
  if (!lines) {
    lines = new LineIndex(target.source.text);
    sourceLines.set(target.source, lines);
  }
  return { uri: context.workspace.sourceUri(target.source), range: lines.range(target.start, target.end) };
}

/** A citation goes to the cited paragraph of its source; a verified quotation to its exact words there. */
export function provideDefinition(context: ServerContext, params: DefinitionParams, token: CancellationToken): Location | null {
  const document = context.documents.get(params.textDocument.uri);
  if (!document) return null;
  const snapshot = context.snapshot(document);
  const corpus = snapshot?.corpus;
  const analysis = snapshot?.result.analysis;
  if (!snapshot || !corpus || !analysis || token.isCancellationRequested) return null;
  const offset = snapshot.result.lines.offset(params.position);
  const citation = citationAt(analysis, offset);
  if (citation) {
    const target = citationTarget(corpus, citation.item);
    return target ? sourceLocation(context, target) : null;
  }
  const quotation = quotationAt(analysis, offset);
  const judged = quotation ? judgedAt(snapshot.result.judged, quotation) : undefined;
  if (!judged || !isVerified(judged.judgement)) return null;
  const target = quotationTarget(judged);
  return target ? sourceLocation(context, target) : null;
}
