import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { describeChanges, describePlace, quoteSnippet } from './describe.js';
import { judgedWords, verdictCode, type JudgedQuotation } from './judgements.js';
import { rangeOf, report, type DiagnosticData } from './report.js';
import { excerpt } from '../corpus/excerpt.js';
import type { WordChange } from '../match/approximate.js';
import type { JudgementOf } from '../match/judge.js';

/** How many more source words a replacement's repair may bring in than the quotation words it takes out. */
const REPAIR_MARGIN = 2;

/**
 * Whether restoring the source's words for this change is a clean repair. A pure omission restores exactly the
 * words the message names, between the quotation's own words; a replacement stands in the same place as what it
 * replaces, so one whose source side is much longer than the words it takes out is no pairing to repair by.
 */
function cleanRepair(change: WordChange): boolean {
  if (change.kind === 'words' && change.quotationWords === 0) return true;
  return change.sourceWords <= change.quotationWords + REPAIR_MARGIN;
}

/** The repair for a near match: the source's exact words in place of the changed stretch, nothing else. */
function restoreWordingFix(file: VFile, judged: JudgedQuotation, judgement: JudgementOf<'changed'>): DiagnosticData['fix'] {
  const { quotation } = judged;
  const { changes, place } = judgement;
  if (changes.length === 0 || !changes.every(cleanRepair)) return undefined;
  const first = changes[0];
  const last = changes[changes.length - 1];
  const words = judgedWords(judged);
  const start = words.documentStart(first.quotationStart);
  const end = words.documentEnd(last.quotationEnd);
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
      const reported = verdictCode(judged.judgement);
      if (reported.code !== 'quote-mismatch') continue;
      const { judgement } = reported;
      const { place, changes } = judgement;
      report(file, 'quote-mismatch', `Quotation differs from ${describePlace(place)}: ${describeChanges(changes)}`, judged.quotation.span, {
        key: place.source.key,
        paragraphs: [...place.paragraphs],
        changes: changes.map((c) => ({ source: c.source, quotation: c.quotation })),
        fix: restoreWordingFix(file, judged, judgement),
      });
    }
  };
}
