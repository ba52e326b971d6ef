import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { CorpusOptions } from './judgements.js';
import { describePlace } from './describe.js';
import { rangeOf, report } from './report.js';

/** `locator-mismatch`: the words are in the cited source, but not at the cited paragraph(s). */
export default function checkLocatorMismatch(options: CorpusOptions) {
  const { corpus } = options;
  return (_tree: Root, file: VFile): void => {
    for (const { judgement, quotation } of file.data.judged ?? []) {
      if (judgement.verdict !== 'verbatim' && judgement.verdict !== 'convention') continue;
      const citation = quotation.citation;
      for (const item of citation?.items ?? []) {
        const locator = item.locator;
        const source = corpus.byKey.get(item.key);
        const named = locator?.paragraphs;
        // Unreadable or out-of-range locators are `locator-invalid`'s to report.
        if (!locator || !source || !named || named.some((n) => n < 1 || n > source.paragraphs.length)) continue;
        const places = judgement.places.filter((p) => p.source === source);
        if (places.length === 0 || places.some((p) => p.paragraphs.some((n) => named.includes(n)))) continue;
        const place = places[0];
        const numbers = place.paragraphs.length === 1 ? `${place.paragraphs[0]}` : `${place.paragraphs[0]}–${place.paragraphs[place.paragraphs.length - 1]}`;
        // Through a footnote, the problem stands at the reference (the citation where it stands); the fix edits the footnote.
        const at = citation?.footnote ? citation : locator;
        report(file, 'locator-mismatch', `Quotation is in ${describePlace(place)}, not ${locator.text}`, at, {
          key: source.key,
          paragraphs: [...place.paragraphs],
          fix: locator.numbers ? { title: `Change the locator to ¶ ${numbers}`, range: rangeOf(file, locator.numbers), newText: numbers } : undefined,
        });
      }
    }
  };
}
