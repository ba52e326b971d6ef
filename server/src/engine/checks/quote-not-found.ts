import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { describePlace, keysOf, quoteSnippet } from './describe.js';
import { report } from './report.js';

/** `quote-not-found`: the quotation is in no source, not even nearly. */
export default function checkQuoteNotFound() {
  return (_tree: Root, file: VFile): void => {
    for (const { judgement, quotation } of file.data.judged ?? []) {
      if (judgement.verdict !== 'not-found' || !quotation.citation) continue;
      const nearest = judgement.nearest;
      const hint = nearest
        ? `; the nearest passage, ${describePlace(nearest)}, reads "${quoteSnippet(nearest.source.text.slice(nearest.start, nearest.end))}"`
        : '';
      report(file, 'quote-not-found', `Quotation is not in ${keysOf(quotation.citation)} or any other source${hint}`, quotation.span, {
        key: nearest?.source.key,
        paragraphs: nearest ? [...nearest.paragraphs] : undefined,
      });
    }
  };
}
