import type { NoteAnalysis, NoteCitation, NoteCitationItem, NoteQuotation } from '../note/analyze.js';
import type { JudgedQuotation } from '../checks/judgements.js';

export interface CitationAt {
  citation: NoteCitation;
  item: NoteCitationItem;
}

/** The citation item under a document offset (its key, its locator, or anywhere in its group). */
export function citationAt(analysis: NoteAnalysis, offset: number): CitationAt | undefined {
  for (const citation of analysis.citations) {
    if (offset < citation.start || offset > citation.end) continue;
    const item =
      citation.items.find((i) => offset >= i.keySpan.start && offset <= i.keySpan.end) ??
      citation.items.find((i) => i.locator && offset >= i.locator.start && offset <= i.locator.end) ??
      [...citation.items].reverse().find((i) => i.keySpan.start <= offset) ??
      citation.items[0];
    return { citation, item };
  }
  return undefined;
}

export function quotationAt(analysis: NoteAnalysis, offset: number): NoteQuotation | undefined {
  return analysis.quotations.find((q) => offset >= q.span.start && offset <= q.span.end);
}

export function judgedAt(judged: readonly JudgedQuotation[], quotation: NoteQuotation): JudgedQuotation | undefined {
  return judged.find((j) => j.quotation === quotation);
}
