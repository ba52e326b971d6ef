import type { Source } from './corpus.js';
import type { Locator, PageRange } from '../note/citations.js';

/**
 * Pages and paragraphs of a source, as locators name them. A PDF's pages are
 * spans of its extracted text; a paragraph "is on" every page it overlaps, so
 * a paragraph that runs over a page break is on both.
 */

/** The indices (0-based) of the pages a span of the source's text overlaps. */
export function pagesOfSpan(source: Source, start: number, end: number): number[] {
  const pages = source.pages ?? [];
  const found: number[] = [];
  pages.forEach((page, i) => {
    if (page.start < Math.max(end, start + 1) && page.end > start) found.push(i);
  });
  return found;
}

/** A page range read against the source's labels: the page indices, or the first label it does not have. */
export function resolvePages(source: Source, ranges: readonly PageRange[]): { indices: number[] } | { missing: string } {
  const labels = (source.pages ?? []).map((p) => p.label);
  const indices: number[] = [];
  for (const range of ranges) {
    const first = labels.indexOf(range.first);
    if (first < 0) return { missing: range.first };
    const last = labels.indexOf(range.last, first);
    if (last < 0) return { missing: range.last };
    for (let i = first; i <= last; i++) indices.push(i);
  }
  return { indices };
}

/** `p. 12`, `pp. 12–13` or `pp. 3, 5` for page indices of the source. */
export function describePages(source: Source, indices: readonly number[]): string {
  const labels = source.pages ?? [];
  const runs: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    runs.push(j === i ? labels[indices[i]].label : `${labels[indices[i]].label}–${labels[indices[j]].label}`);
    i = j;
  }
  const many = indices.length > 1;
  return `${many ? 'pp.' : 'p.'} ${runs.join(', ')}`;
}

/**
 * The paragraphs a locator names in a source: its paragraph numbers, or the
 * paragraphs on the pages it names; none for a locator that is not checked
 * there (a page in a source without pages, a chapter) or cannot be read.
 */
export function namedParagraphs(source: Source, locator: Locator | undefined): readonly number[] {
  switch (locator?.kind) {
    case undefined:
    case 'other':
      return [];
    case 'paragraph':
      return locator.paragraphs ?? [];
    case 'page': {
      if (!source.pages || !locator.pages) return [];
      const resolved = resolvePages(source, locator.pages);
      if ('missing' in resolved) return [];
      const pages = resolved.indices.map((i) => source.pages?.[i]).filter((p) => p !== undefined);
      return source.paragraphs.filter((p) => pages.some((page) => p.start < page.end && p.end > page.start)).map((p) => p.number);
    }
  }
}
