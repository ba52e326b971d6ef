import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { distance } from 'fastest-levenshtein';
import type { CorpusOptions } from './judgements.js';
import { rangeOf, report } from './report.js';

/** How many edits (case aside) a key may be from an unknown one to be suggested for it. */
export function suggestionDistance(key: string): number {
  return Math.min(3, Math.max(1, Math.floor(key.length / 3)));
}

/** The keys closest in spelling, for "did you mean". An archive looks up the keys within suggestionDistance and asks this too. */
export function closestKeys(key: string, keys: Iterable<string>, count = 3): string[] {
  const limit = suggestionDistance(key);
  return [...keys]
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, count)
    .map((c) => c.k);
}

/** `unknown-source`: a citation key that names no source in the corpus. */
export default function checkUnknownSource(options: CorpusOptions) {
  const { corpus } = options;
  return (_tree: Root, file: VFile): void => {
    // An empty corpus is reported once, on its folder (see corpus/load.ts), not at every key.
    if (corpus.sources.length === 0 && !corpus.partial) return;
    for (const citation of file.data.verbatim?.citations ?? []) {
      for (const item of citation.items) {
        if (corpus.byKey.has(item.key) || corpus.pending.has(item.key)) continue;
        const suggestions = closestKeys(item.key, corpus.byKey.keys());
        const reason = corpus.excluded?.has(item.key)
          ? `Unknown source "${item.key}": the note's front-matter bibliography replaces the corpus (front-matter bibliography "instead") and does not name this key`
          : suggestions.length > 0
            ? `Unknown source "${item.key}"; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
            : `Unknown source "${item.key}": no source in the corpus has this key`;
        const keyText = { start: item.keySpan.start + 1, end: item.keySpan.end };
        report(file, 'unknown-source', reason, item.keySpan, {
          key: item.key,
          alternatives: suggestions.map((s) => ({ title: `Change to @${s}`, range: rangeOf(file, keyText), newText: s })),
        });
      }
    }
  };
}
