import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { citationFor, describePlace } from './describe.js';
import { rangeOf, report } from './report.js';

/** `quote-uncited`: a quotation of three or more words with no citation. */
export default function checkQuoteUncited() {
  return (_tree: Root, file: VFile): void => {
    for (const { judgement, quotation } of file.data.judged ?? []) {
      if (quotation.citation) continue;
      const place = judgement.places[0];
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
