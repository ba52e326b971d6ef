import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus } from '../../../server/src/engine/corpus/corpus.js';
import { AlignWorkspace } from '../../../server/src/engine/match/align.js';
import { CandidateRanking, findNear, type NearMatch, type NearOptions } from '../../../server/src/engine/match/approximate.js';
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

describe('findNear with a ranking kept between lookups', () => {
  // Long sources of many paragraphs (one a line), the quoted sentence near the end of two of them, changed in one.
  const line = (n: number): string => `Entry ${n} records the harbour tide at dawn and the wind from the west.`;
  const sourceText = (ending: string): string => `${Array.from({ length: 400 }, (_, n) => line(n)).join('\n')}\n${ending}\n${line(400)}\n`;
  const long = buildCorpus(
    [
      { path: '/l/log.txt', text: sourceText('The ferry to Skerries sailed late because the harbour master was ill.') },
      { path: '/l/diary.txt', text: sourceText('The ferry to Skerries sailed early because the harbour master was away.') },
      { path: '/l/notes.txt', text: sourceText('Nothing sailed.') },
    ],
    [],
  );
  const key = (s: { ordinal: number }): string => long.sources[s.ordinal].key;
  const text = 'The ferry to Skerries sailed late because the harbour master was away';
  const query = { tokens: quotationPattern(text).literal, freeAfter: new Set<number>(), text };
  const lookups: Pick<NearOptions, 'accept' | 'minSimilarity'>[] = [{ accept: (s) => key(s) !== 'log' }, { accept: (s) => key(s) !== 'diary' }, { minSimilarity: 0.34 }, { accept: (s) => key(s) === 'notes' }];
  const described = (m: NearMatch | undefined): string | undefined => m && `${key(m.source)} ¶${m.source.paragraphIndexOf(m.start) + 1}: ${m.changes.map((c) => `${c.source} → ${c.quotation}`).join(', ')}`;

  test('each lookup finds what it finds scoring only the sources it accepts', () => {
    const ranking = new CandidateRanking();
    const shared = lookups.map((options) => described(findNear(long.index, query, { workspace: new AlignWorkspace(), ...options, ranking })));
    const alone = lookups.map((options) => described(findNear(long.index, query, { workspace: new AlignWorkspace(), ...options })));
    assert.deepEqual(shared, alone);
    assert.deepEqual(alone, ['diary ¶401: early → late', 'log ¶401: ill → away', 'log ¶401: ill → away', undefined]);
  });
});

describe('findNear counts changes as it reports them', () => {
  const garden = buildCorpus([{ path: '/g/garden.txt', text: 'The long-tended garden was sold last spring to a long-standing friend of the family, who kept it.\n' }], []);
  const changes = (text: string): string[] | undefined =>
    findNear(garden.index, { tokens: quotationPattern(text).literal, freeAfter: new Set(), text }, { workspace: new AlignWorkspace() })?.changes.map((c) => `${c.source} → ${c.quotation}`);

  test('a change inside a hyphenated word is one change in whole words; adjacent changed words are one', () => {
    assert.deepEqual(changes('The long-standing garden was sold last spring to a short-standing friend of their family, who kept it'), ['long-tended → long-standing', 'long-standing → short-standing', 'the → their']);
    assert.deepEqual(changes('The long-standing garden was sold last winter to a short-standing friend of their family, whom sold it'), [
      'long-tended → long-standing',
      'spring → winter',
      'long-standing → short-standing',
      'the → their',
      'who kept → whom sold',
    ]);
  });

  test('a quarter of 19 words, five changes, is near; six are not', () => {
    assert.equal(changes('The long-standing garden was sold last winter to a short-standing friend of their family, who sold it')?.length, 5);
    assert.equal(changes('The long-standing garden was bought last winter to a short-standing friend of their family, whom sold it'), undefined);
  });
});
