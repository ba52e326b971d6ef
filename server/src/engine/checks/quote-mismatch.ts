import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { describeChanges, describePlace, quoteSnippet } from './describe.js';
import type { JudgedQuotation } from './judgements.js';
import { rangeOf, report, type DiagnosticData } from './report.js';
import { excerpt } from '../corpus/excerpt.js';

/** The repair for a near match: the source's exact words in place of the changed stretch, nothing else. */
function restoreWordingFix(file: VFile, judged: JudgedQuotation): DiagnosticData['fix'] {
  const { quotation, judgement } = judged;
  const changes = judgement.changes ?? [];
  const place = judgement.places[0];
  if (changes.length === 0 || !place) return undefined;
  const first = changes[0];
  const last = changes[changes.length - 1];
  const start = quotation.prose.documentStart(first.quotationStart);
  const end = quotation.prose.documentEnd(last.quotationEnd);
  const document = String(file.value);
  // Inside a blockquote a line break carries `>` markers: a repair across it would drop them.
  if (quotation.kind === 'block' && /[\r\n]/u.test(document.slice(start, end))) return undefined;
  const newText = excerpt(place.source.text, first.sourceStart, last.sourceEnd, place.source.format === 'markdown');
  return { title: `Restore the source's wording: "${quoteSnippet(newText)}"`, range: rangeOf(file, { start, end }), newText };
}

/** `quote-mismatch`: the quotation is close to its cited source, but words were changed, added or dropped. */
export default function checkQuoteMismatch() {
  return (_tree: Root, file: VFile): void => {
    for (const judged of file.data.judged ?? []) {
      const { judgement, quotation } = judged;
      if (judgement.verdict !== 'changed') continue;
      const place = judgement.places[0];
      const changes = judgement.changes ?? [];
      report(file, 'quote-mismatch', `Quotation differs from ${describePlace(place)}: ${describeChanges(changes)}`, quotation.span, {
        key: place.source.key,
        paragraphs: [...place.paragraphs],
        changes: changes.map((c) => ({ source: c.source, quotation: c.quotation })),
        fix: restoreWordingFix(file, judged),
      });
    }
  };
}
