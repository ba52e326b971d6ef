import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { citationFor, describePlace } from './describe.js';
import { verdictCode } from './judgements.js';
import { rangeOf, report } from './report.js';

/** `quote-uncited`: a quotation of three or more words with no citation. */
export default function checkQuoteUncited() {
  return (_tree: Root, file: VFile): void => {
    for (const { judgement: judged, quotation } of file.data.judged ?? []) {
      const reported = verdictCode(judged);
      if (reported.code !== 'quote-uncited' || quotation.citation) continue;
      const { judgement } = reported;
      const place = judgement.verdict === 'found' ? judgement.places[0] : undefined;
      if (!place) {
        report(file, 'quote-uncited', 'Quotation has no citation, and its words are in no source of the corpus', quotation.span);
        continue;
      }
      // After the closing mark of an inline quotation; at the end of a blockquote's text.
      const at = quotation.kind === 'inline' ? quotation.span.end + 1 : quotation.span.end;
      const citation = citationFor(place, undefined);
      report(file, 'quote-uncited', `Quotation has no citation; its words are in ${describePlace(place)}`, quotation.span, {
        key: place.source.key,
        paragraphs: [...place.paragraphs],
        fix: { title: `Cite ${describePlace(place)}: insert ${citation}`, range: rangeOf(file, { start: at, end: at }), newText: ` ${citation}` },
      });
    }
  };
}
