import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus } from '../../../server/src/engine/corpus/corpus.js';
import { findOccurrences, occurrenceEnd, occurrenceStart, type Occurrence } from '../../../server/src/engine/match/find.js';
import { quotationPattern } from '../../../server/src/engine/match/pattern.js';

// Two sources: the second repeats a sentence of the first, and its second paragraph continues it.
const corpus = buildCorpus(
  [
    { path: '/c/wire.txt', text: 'Moscow has limited confidence in them.\nThe talks in Doha ended without agreement.\n' },
    { path: '/c/copy.txt', text: 'Officials said Moscow has limited confidence in them.\nThe Talks resumed in May, and then they ended.\n' },
  ],
  [],
);

/** Each occurrence as `key: the source's words` (a piece per omission, joined by ` … `). */
function found(occurrences: readonly Occurrence[]): string[] {
  return occurrences.map((o) => {
    const source = corpus.sources[o.source.ordinal];
    const pieces = o.spans.map((span) => source.text.slice(o.source.tokenStart(span.start), o.source.tokenEnd(span.end - 1)));
    return `${source.key}: ${pieces.join(' … ')}`;
  });
}

const literal = (text: string): Occurrence[] => findOccurrences(corpus.index, [quotationPattern(text).literal]);
const conventional = (text: string): Occurrence[] => {
  const pieces = quotationPattern(text).conventional;
  assert.ok(pieces, `${text} uses a convention`);
  return findOccurrences(corpus.index, pieces);
};

describe('findOccurrences', () => {
  test('every source holding the words, each at its place', () => {
    assert.deepEqual(found(literal('has limited confidence in them')).sort(), ['copy: has limited confidence in them', 'wire: has limited confidence in them']);
  });

  test('occurrenceStart and occurrenceEnd are the token bounds of the first and last piece', () => {
    const [occurrence] = literal('Officials said Moscow');
    assert.equal(occurrenceStart(occurrence), 0);
    assert.equal(occurrenceEnd(occurrence), 3);
  });

  test('a word no source contains finds nothing', () => {
    assert.deepEqual(literal('has limited trust in them'), []);
  });

  test('letter case: only the first letter may differ, unless a bracket frees it', () => {
    assert.deepEqual(found(literal('the talks in Doha')), ['wire: The talks in Doha']);
    assert.deepEqual(literal('the TALKS in Doha'), []);
    assert.deepEqual(literal('tHE talks in Doha'), []);
    assert.deepEqual(found(conventional('[t]HE talks in Doha')), ['wire: The talks in Doha']);
  });

  test('pieces around an omission are found in order, the later one in the same or the next paragraph', () => {
    assert.deepEqual(found(conventional('Moscow has … confidence in them')).sort(), ['copy: Moscow has … confidence in them', 'wire: Moscow has … confidence in them']);
    assert.deepEqual(found(conventional('confidence in them … talks in Doha ended')), ['wire: confidence in them … talks in Doha ended']);
    assert.deepEqual(conventional('talks in Doha ended … Moscow has limited'), [], 'pieces out of order');
  });

  test('a bracket stands for the source words it may replace, and they are recorded', () => {
    const occurrences = conventional('Moscow has limited confidence in [the Taliban] said');
    assert.deepEqual(occurrences, [], 'the words after the bracket must follow');
    const [occurrence, ...rest] = conventional('limited confidence in [the Taliban].\nThe talks');
    assert.deepEqual(rest, []);
    assert.ok(occurrence.brackets);
    const source = corpus.sources[occurrence.source.ordinal];
    assert.deepEqual(
      occurrence.brackets.map((b) => source.text.slice(occurrence.source.tokenStart(b.start), occurrence.source.tokenEnd(b.end - 1))),
      ['them'],
    );
  });

  test('accept limits the sources searched; limit the occurrences returned', () => {
    const pieces = [quotationPattern('has limited confidence').literal];
    assert.deepEqual(found(findOccurrences(corpus.index, pieces, { accept: (s) => corpus.sources[s.ordinal].key === 'copy' })), ['copy: has limited confidence']);
    assert.equal(findOccurrences(corpus.index, pieces, { limit: 1 }).length, 1);
  });
});

describe('findOccurrences over a word that is everywhere but the passage is not', () => {
  // "zephyr" in every source, many times; the quoted run of words in three places, one of them capitalised
  // at a sentence's start, and its words elsewhere only apart or in another order.
  const filler = (n: number): string => Array.from({ length: 12 }, (_, i) => `A zephyr ${i % 2 ? 'over the bay' : 'blew'} in year ${n * 100 + i}.`).join(' ');
  const texts = Array.from({ length: 10 }, (_, n) => `${filler(n)}\n${n === 6 ? 'They said the zephyr blew over Doha at noon.' : 'The zephyr over Doha blew, at noon.'}\n`);
  texts[2] += 'Later the zephyr blew over Doha again.\n';
  texts[8] += 'Zephyr blew over Doha, they wrote.\n';
  const many = buildCorpus(texts.map((text, n) => ({ path: `/m/s${n}.txt`, text })), []);
  const places = (text: string, limit?: number): string[] =>
    findOccurrences(many.index, [quotationPattern(text).literal], { limit }).map((o) => {
      const source = many.sources[o.source.ordinal];
      return `${source.key}: ${source.text.slice(o.source.tokenStart(occurrenceStart(o)), o.source.tokenEnd(occurrenceEnd(o) - 1))}`;
    });

  test('only the places where every word stands in order are found, in corpus order', () => {
    assert.deepEqual(places('zephyr blew over Doha'), ['s2: zephyr blew over Doha', 's6: zephyr blew over Doha', 's8: Zephyr blew over Doha']);
    assert.deepEqual(places('the zephyr blew over Doha'), ['s2: the zephyr blew over Doha', 's6: the zephyr blew over Doha']);
  });

  test('the limit keeps the first places', () => {
    assert.deepEqual(places('zephyr blew over Doha', 2), ['s2: zephyr blew over Doha', 's6: zephyr blew over Doha']);
  });

  test('the words apart or in another order are not a match', () => {
    assert.deepEqual(places('zephyr over Doha blew over'), []);
    assert.deepEqual(places('blew zephyr over Doha'), []);
  });
});
