import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { CorpusOptions } from './judgements.js';
import type { Source } from '../corpus/corpus.js';
import { resolvePages } from '../corpus/pages.js';
import type { Locator } from '../note/citations.js';
import { report } from './report.js';

/** Why a locator names nothing in its source, or undefined when it names something (or is not checked there). */
function invalidity(source: Source, locator: Locator): string | undefined {
  switch (locator.kind) {
    case 'other':
      return undefined;
    case 'paragraph': {
      if (!locator.paragraphs || locator.paragraphs.length === 0) return `Cannot read the locator "${locator.text}": expected paragraph numbers such as "¶ 4" or "paras. 4–6"`;
      const count = source.paragraphs.length;
      const missing = locator.paragraphs.find((n) => n < 1 || n > count);
      return missing === undefined ? undefined : `${source.key} has ${count} paragraphs; ¶ ${missing} does not exist`;
    }
    case 'page': {
      // Pages are checked where the source has them (a PDF); elsewhere `p. 4` stays the writer's business.
      const pages = source.pages;
      if (!pages || pages.length === 0) return undefined;
      if (!locator.pages) return `Cannot read the locator "${locator.text}": expected page numbers such as "p. 12" or "pp. 12–13"`;
      const resolved = resolvePages(source, locator.pages);
      if (!('missing' in resolved)) return undefined;
      const range = pages.length === 1 ? `page ${pages[0].label}` : `pages ${pages[0].label}–${pages[pages.length - 1].label}`;
      return `${source.key} has ${range}; p. ${resolved.missing} does not exist`;
    }
  }
}

/** `locator-invalid`: a paragraph or page locator that cannot be read, or names a paragraph or page the source does not have. */
export default function checkLocatorInvalid(options: CorpusOptions) {
  const { corpus } = options;
  return (_tree: Root, file: VFile): void => {
    for (const citation of file.data.verbatim?.citations ?? []) {
      for (const item of citation.items) {
        const locator = item.locator;
        const source = corpus.byKey.get(item.key);
        if (!locator || !source) continue;
        const reason = invalidity(source, locator);
        if (reason) report(file, 'locator-invalid', reason, locator, { key: item.key });
      }
    }
  };
}
