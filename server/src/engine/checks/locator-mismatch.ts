import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { CorpusOptions } from './judgements.js';
import type { Source } from '../corpus/corpus.js';
import { describePages, pagesOfSpan, resolvePages } from '../corpus/pages.js';
import type { SourcePlace } from '../match/judge.js';
import type { Locator, Span } from '../note/citations.js';
import { describePlace } from './describe.js';
import { verdictCode } from './judgements.js';
import { rangeOf, report } from './report.js';

/** What a locator that misses the words should say instead: the message's place, and the fix's new text over its span. */
interface Repair {
  where: string;
  span?: Span;
  newText: string;
  title: string;
}

/**
 * Whether a checked locator misses every place the words are (it must name
 * every paragraph or page a place spans, not just one), and if so the
 * repair for the first place. Undefined when the locator is fine, unreadable
 * or names what does not exist (that is `locator-invalid`'s), or is not
 * checked in this source.
 */
function miss(source: Source, locator: Locator, places: readonly SourcePlace[]): Repair | undefined {
  switch (locator.kind) {
    case 'other':
      return undefined;
    case 'paragraph': {
      const named = locator.paragraphs;
      if (!named || named.some((n) => n < 1 || n > source.paragraphs.length)) return undefined;
      // The paragraphs must hold all of the words: a quotation across a paragraph break needs every paragraph it spans.
      if (places.some((p) => p.paragraphs.every((n) => named.includes(n)))) return undefined;
      const place = places[0];
      if (place.paragraphs.length === 1) {
        const number = `${place.paragraphs[0]}`;
        return { where: `in ${describePlace(place)}`, span: locator.numbers, newText: number, title: `Change the locator to ¶ ${number}` };
      }
      // A range replaces the whole locator, so a singular `¶ 9` or `para. 9` does not come to name a range.
      const range = `¶¶ ${place.paragraphs[0]}–${place.paragraphs[place.paragraphs.length - 1]}`;
      return { where: `in ${describePlace(place)}`, span: locator, newText: range, title: `Change the locator to ${range}` };
    }
    case 'page': {
      if (!source.pages?.length || !locator.pages) return undefined;
      const resolved = resolvePages(source, locator.pages);
      if ('missing' in resolved) return undefined;
      // The pages must hold all of the words: a quotation across a page break needs both pages.
      const onPages = places.map((p) => pagesOfSpan(source, p.start, p.end));
      if (onPages.some((pages) => pages.every((page) => resolved.indices.includes(page)))) return undefined;
      const pages = describePages(source, onPages[0]);
      return { where: `on ${source.key} ${pages}`, span: locator, newText: pages, title: `Change the locator to ${pages}` };
    }
  }
}

/** `locator-mismatch`: the words are in the cited source, but not at the cited paragraph(s) or page(s). */
export default function checkLocatorMismatch(options: CorpusOptions) {
  const { corpus } = options;
  return (_tree: Root, file: VFile): void => {
    for (const { judgement: judged, quotation } of file.data.judged ?? []) {
      const reported = verdictCode(judged);
      if (reported.code !== 'verified') continue;
      const { judgement } = reported;
      const citation = quotation.citation;
      for (const item of citation?.items ?? []) {
        const locator = item.locator;
        const source = corpus.byKey.get(item.key);
        if (!locator || !source) continue;
        const places = judgement.places.filter((p) => p.source === source);
        if (places.length === 0) continue;
        const repair = miss(source, locator, places);
        if (!repair) continue;
        // Through a footnote, the problem stands at the reference (the citation where it stands); the fix edits the footnote.
        const at = citation?.footnote ? citation : locator;
        report(file, 'locator-mismatch', `Quotation is ${repair.where}, not ${locator.text}`, at, {
          key: source.key,
          paragraphs: [...places[0].paragraphs],
          fix: repair.span ? { title: repair.title, range: rangeOf(file, repair.span), newText: repair.newText } : undefined,
        });
      }
    }
  };
}
