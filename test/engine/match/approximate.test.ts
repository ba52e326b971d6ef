import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus } from '../../../server/src/engine/corpus/corpus.js';
import { AlignWorkspace } from '../../../server/src/engine/match/align.js';
import { findNear, type NearMatch } from '../../../server/src/engine/match/approximate.js';
import { quotationPattern } from '../../../server/src/engine/match/pattern.js';

const corpus = buildCorpus(
  [
    { path: '/c/wire.txt', text: 'Last week the movement announced it controlled up to 85% of the country.\nThe talks in Doha ended without agreement.\n' },
    { path: '/c/column.txt', text: 'Moscow has limited confidence in them, and says so.\n' },
  ],
  [],
);

/** The nearest passage to a quotation typed without conventions, in the sources `accept` lets through. */
function near(text: string, options: { minSimilarity?: number; key?: string } = {}): NearMatch | undefined {
  const accept = options.key === undefined ? undefined : (s: { ordinal: number }) => corpus.sources[s.ordinal].key === options.key;
  return findNear(corpus.index, { tokens: quotationPattern(text).literal, freeAfter: new Set(), text }, { workspace: new AlignWorkspace(), accept, minSimilarity: options.minSimilarity });
}

/** What a match covers in its source, and each change as `source → quotation`. */
function shown(match: NearMatch | undefined): { key: string; words: string; changes: string[] } | undefined {
  if (!match) return undefined;
  const source = corpus.sources[match.source.ordinal];
  return {
    key: source.key,
    words: source.text.slice(match.source.tokenStart(match.start), match.source.tokenEnd(match.end - 1)),
    changes: match.changes.map((c) => `${c.source} → ${c.quotation}`),
  };
}

describe('findNear', () => {
  test('a changed word: the source passage and the change, in both sides’ words', () => {
    const text = 'the movement announced it controlled up to 75% of the country';
    assert.deepEqual(shown(near(text)), { key: 'wire', words: text.replace('75', '85'), changes: ['85 → 75'] });
  });

  test('the change’s offsets point at the differing words in the source and the quotation', () => {
    const text = 'the movement said it controlled up to 85% of the country';
    const match = near(text);
    assert.ok(match);
    const [change] = match.changes;
    const source = corpus.sources[match.source.ordinal];
    assert.match(source.text.slice(change.sourceStart, change.sourceEnd), /announced/u);
    assert.match(text.slice(change.quotationStart, change.quotationEnd), /said/u);
    assert.equal(change.sourceWords, 1);
    assert.equal(change.quotationWords, 1);
  });

  test('words left out and words added are changes with one side empty', () => {
    assert.deepEqual(shown(near('Moscow has confidence in them'))?.changes, ['limited → ']);
    assert.deepEqual(shown(near('Moscow has very limited confidence in them'))?.changes, [' → very']);
  });

  test('the same words are no near match (the exact search finds them); changed ones are, with their similarity', () => {
    assert.equal(near('Moscow has limited confidence in them'), undefined);
    const changed = near('Moscow has little confidence in them');
    assert.ok(changed && changed.similarity < 1 && changed.similarity >= 0.6, String(changed?.similarity));
  });

  test('more changes than a quarter of the words (at least three) are no near match', () => {
    assert.deepEqual(shown(near('the movement said it controlled up to 75% of the land'))?.changes, ['announced → said', '85 → 75', 'country → land']);
    assert.equal(near('the movement said it held up to 75% of the land'), undefined);
  });

  test('nothing close enough, or nothing in the accepted sources, is no match', () => {
    assert.equal(near('an entirely different sentence about lithium treaties'), undefined);
    assert.equal(near('Moscow has little confidence in them', { key: 'wire' }), undefined);
    assert.equal(shown(near('Moscow has little confidence in them', { key: 'column' }))?.key, 'column');
  });
});
