import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distance } from 'fastest-levenshtein';
import { keyLookup, keyTrigrams } from '../../../../server/src/engine/corpus/postgres/keys.js';
import { suggestionDistance } from '../../../../server/src/engine/checks/unknown-source.js';

/** What the archive's query keeps of a key, as the SQL in suggestedKeys reads it. */
function found(lookup: ReturnType<typeof keyLookup>, candidate: string): boolean {
  if (lookup.kind === 'length') return [...candidate].length <= lookup.longest;
  const trigrams = new Set(keyTrigrams(candidate));
  return lookup.any.some((t) => trigrams.has(t)) && lookup.all.filter((t) => trigrams.has(t)).length >= lookup.shared;
}

/** A seeded generator, so a failure names keys that can be tried again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const ALPHABET = 'abcdeimnorst0129-_:ÄäS';

/** A key changed by up to `edits` insertions, deletions and substitutions. */
function edited(key: string, edits: number, next: () => number): string {
  let out = key;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const c = ALPHABET[Math.floor(next() * ALPHABET.length)];
    const kind = Math.floor(next() * 3);
    out = kind === 0 ? out.slice(0, at) + c + out.slice(at) : kind === 1 ? out.slice(0, at) + out.slice(at + 1) : out.slice(0, at) + c + out.slice(at + 1);
  }
  return out;
}

test('a key\'s trigrams are padded, lower-cased and numbered by occurrence', () => {
  assert.deepEqual(keyTrigrams('AAaa'), ['\u0002\u0002a1', '\u0002aa1', 'aaa1', 'aaa2', 'aa\u00021', 'a\u0002\u00021']);
  assert.equal(keyTrigrams('smith2019').length, 'smith2019'.length + 2);
});

test('every key within the suggestion distance is found by the lookup, whatever the edits', () => {
  const next = random(12);
  let checked = 0;
  for (let k = 0; k < 400; k++) {
    const length = 1 + Math.floor(next() * 16);
    const key = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
    const lookup = keyLookup(key);
    for (let v = 0; v < 30; v++) {
      const other = edited(key, 1 + Math.floor(next() * 4), next);
      if (other.length === 0 || distance(key.toLowerCase(), other.toLowerCase()) > suggestionDistance(key)) continue;
      assert.ok(found(lookup, other), `${JSON.stringify(other)} is within ${suggestionDistance(key)} edits of ${JSON.stringify(key)} but not found`);
      checked++;
    }
  }
  assert.ok(checked > 3000, `${checked} keys checked`);
});

test('the lookup leaves out most keys that are not near', () => {
  const keys = Array.from({ length: 500 }, (_, i) => `${['smart', 'wong', 'lewis', 'doyle', 'berg'][i % 5]}${1900 + i}`);
  // Nine characters may be three edits away: ten of eleven trigrams are asked for, so keys sharing a year's or a first letter's stay.
  const short = keyLookup('smith2019');
  assert.equal(short.kind, 'trigrams');
  const kept = keys.filter((k) => found(short, k));
  assert.ok(kept.length < keys.length / 4, `${kept.length} of ${keys.length} kept`);
  // A longer key (still three edits) asks for ten of its nineteen trigrams, the rarest-looking first.
  const long = keyLookup('vandenberghe2019b');
  assert.ok(keys.filter((k) => found(long, k)).length < keys.length / 20);
  // A key of one character shares no trigram a neighbour must have: neighbours are found by length.
  assert.deepEqual(keyLookup('x'), { kind: 'length', longest: 2 });
});
