import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bracketWords, plausibleReplacement, quotationPattern, type PatternPiece } from '../../../server/src/engine/match/pattern.js';

/** A piece as the matcher reads it: each token's text (`*` marks a free first letter, `**` any letter's case), each gap as `[words]`. */
function shown(piece: PatternPiece): string[] {
  return piece.map((e) => (e.kind === 'gap' ? `[${e.words.join(' ')}]` : `${e.text}${e.caseInsensitive === 'first' ? '*' : e.caseInsensitive === 'all' ? '**' : ''}`));
}

const words = (...texts: string[]): { text: string; isWord: boolean }[] => texts.map((text) => ({ text, isWord: /\p{L}|\p{N}/u.test(text) }));

describe('quotationPattern', () => {
  test('a plain quotation is its tokens, the final full stop dropped, the first letter’s case free', () => {
    const pattern = quotationPattern('The group is reasonable.');
    assert.deepEqual(shown(pattern.literal), ['The*', 'group', 'is', 'reasonable']);
    assert.equal(pattern.conventional, undefined, 'no convention used');
    assert.equal(pattern.wordCount, 4);
  });

  test('token offsets point into the quotation as typed', () => {
    const text = 'at most 50 kilometres';
    const pattern = quotationPattern(text);
    assert.deepEqual(pattern.literal.map((t) => text.slice(t.start, t.end)), ['at', 'most', '50', 'kilometres']);
  });

  test('an ellipsis splits the conventional reading into pieces; leading and trailing ones are dropped', () => {
    const pattern = quotationPattern('… Russia agreed … not to recognize any government …');
    assert.ok(pattern.conventional);
    assert.deepEqual(pattern.conventional.map(shown), [['Russia*', 'agreed'], ['not', 'to', 'recognize', 'any', 'government']]);
  });

  test('[t]he frees the case of the bracketed letters’ word only', () => {
    const pattern = quotationPattern('[t]he Taliban captured');
    assert.ok(pattern.conventional);
    assert.deepEqual(pattern.conventional.map(shown), [['the**', 'Taliban', 'captured']]);
  });

  test('a bracketed substitution is a gap holding its words, lower-cased', () => {
    const pattern = quotationPattern('[the Taliban] are serious');
    assert.ok(pattern.conventional);
    // At the start of a piece a gap allows nothing the quotation’s edge does not: it is trimmed.
    assert.deepEqual(pattern.conventional.map(shown), [['are*', 'serious']]);
    const inside = quotationPattern('the [Russian] Foreign Ministry said');
    assert.ok(inside.conventional);
    assert.deepEqual(inside.conventional.map(shown), [['the*', '[russian]', 'Foreign', 'Ministry', 'said']]);
  });

  test('[sic] and (emphasis added) are not part of the words looked for', () => {
    const pattern = quotationPattern('they recieve [sic] aid (emphasis added)');
    assert.ok(pattern.conventional);
    assert.deepEqual(pattern.conventional.map(shown), [['they*', 'recieve', 'aid']]);
  });
});

describe('bracketWords', () => {
  test('the words of a bracket, lower-cased, without the marks', () => {
    assert.deepEqual(bracketWords('[the CSTO’s]'), ['the', 'csto', 's']);
    assert.deepEqual(bracketWords('[…]'), []);
  });
});

describe('plausibleReplacement', () => {
  test('no source words (an interpolation) is always plausible', () => {
    assert.equal(plausibleReplacement([], ['russian']), true);
  });

  test('a pronoun or determiner opening the replaced words', () => {
    assert.equal(plausibleReplacement(words('they', 'have', 'been'), ['the', 'taliban']), true);
  });

  test('a name: every word capitalised', () => {
    assert.equal(plausibleReplacement(words('Foreign', 'Minister', 'Lavrov'), ['he']), true);
  });

  test('as many words as the bracket has, or fewer, are a word-for-word restatement', () => {
    assert.equal(plausibleReplacement(words('now', 'at', 'most'), ['no', 'longer', 'than']), true);
  });

  test('more than five words, or words across a clause break, are not', () => {
    assert.equal(plausibleReplacement(words('they', 'have', 'been', 'fighting', 'there', 'since'), ['they']), false);
    assert.equal(plausibleReplacement(words('the', 'war', '.', 'It'), ['it']), false);
  });

  test('unrelated lower-case words the bracket does not name are not', () => {
    assert.equal(plausibleReplacement(words('early', 'journalists', 'pressured'), ['russian']), false);
  });
});
