import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { NoteCitation } from '../note/analyze.js';
import type { SourcePlace } from '../match/judge.js';
import { describeChanges, describePlace, keysOf, locatorText } from './describe.js';
import { verdictCode } from './judgements.js';
import { rangeOf, report, type DiagnosticData } from './report.js';

/** Re-points the citation's first key (and its paragraph) at the source where the words are; through a footnote, in the footnote. */
function recitationFix(file: VFile, cited: NoteCitation, place: SourcePlace): DiagnosticData['fix'] {
  const citation = cited.footnote?.[0] ?? cited;
  const item = citation.items[0];
  const where = locatorText(place);
  const title = `Cite ${place.source.key} ${where} instead`;
  if (citation.kind === 'narrative') {
    return { title, range: rangeOf(file, { start: item.keySpan.start, end: citation.end }), newText: `@${place.source.key} [${where}]` };
  }
  const end = item.locator ? item.locator.end : item.keySpan.end;
  return { title, range: rangeOf(file, { start: item.keySpan.start, end }), newText: `@${place.source.key}, ${where}` };
}

/** ` (also ¶ 10)` when the words recur in that source. */
function alsoAt(places: readonly SourcePlace[]): string {
  const more = [...new Set(places.slice(1).map((p) => p.paragraphs[0]))].filter((n) => n !== places[0].paragraphs[0]);
  return more.length > 0 ? ` (also ¶ ${more.join(', ¶ ')})` : '';
}

/** `quote-wrong-source`: the words are not in the cited source but are (or nearly are) in another one. */
export default function checkQuoteWrongSource() {
  return (_tree: Root, file: VFile): void => {
    for (const { judgement: judged, quotation } of file.data.judged ?? []) {
      const reported = verdictCode(judged);
      const citation = quotation.citation;
      if (reported.code !== 'quote-wrong-source' || !citation) continue;
      const { judgement } = reported;
      const place = judgement.verdict === 'other-source' ? judgement.places[0] : judgement.place;
      const changes = judgement.verdict === 'other-source' ? [] : judgement.changes;
      const reason =
        judgement.verdict === 'other-source'
          ? `Quotation is not in ${keysOf(citation)}; it is in ${describePlace(place)}${alsoAt(judgement.places)}`
          : `Quotation is not in ${keysOf(citation)}; it is close to ${describePlace(place)}, whose words differ: ${describeChanges(changes)}`;
      report(file, 'quote-wrong-source', reason, quotation.span, {
        key: place.source.key,
        paragraphs: [...place.paragraphs],
        changes: changes.length > 0 ? changes.map((c) => ({ source: c.source, quotation: c.quotation })) : undefined,
        fix: recitationFix(file, citation, place),
      });
    }
  };
}
