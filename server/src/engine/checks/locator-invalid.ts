import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { CorpusOptions } from './judgements.js';
import { report } from './report.js';

/** `locator-invalid`: a paragraph locator that cannot be read, or names a paragraph the source does not have. */
export default function checkLocatorInvalid(options: CorpusOptions) {
  const { corpus } = options;
  return (_tree: Root, file: VFile): void => {
    for (const citation of file.data.verbatim?.citations ?? []) {
      for (const item of citation.items) {
        const locator = item.locator;
        const source = corpus.byKey.get(item.key);
        if (!locator || locator.kind !== 'paragraph' || !source) continue;
        if (!locator.paragraphs || locator.paragraphs.length === 0) {
          report(file, 'locator-invalid', `Cannot read the locator "${locator.text}": expected paragraph numbers such as "¶ 4" or "paras. 4–6"`, locator, { key: item.key });
          continue;
        }
        const count = source.paragraphs.length;
        const missing = locator.paragraphs.filter((n) => n < 1 || n > count);
        if (missing.length > 0) {
          report(file, 'locator-invalid', `${item.key} has ${count} paragraphs; ¶ ${missing[0]} does not exist`, locator, {
            key: item.key,
          });
        }
      }
    }
  };
}
