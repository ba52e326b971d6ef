import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNote } from '../../../server/src/engine/check.js';
import { citationFor, describeChanges, describePlace, keysOf, locatorText, quoteSnippet } from '../../../server/src/engine/checks/describe.js';
import { judgeQuotation, placesOf, type SourcePlace } from '../../../server/src/engine/match/judge.js';
import type { NoteCitation } from '../../../server/src/engine/note/analyze.js';
import { bundledCorpus } from '../../helpers.js';

/** Where the bundled corpus has `words`, cited to `key`. */
function placeOf(words: string, key: string): SourcePlace {
  const [place] = placesOf(judgeQuotation(bundledCorpus(), words, [key]));
  assert.ok(place, `${words} is in ${key}`);
  return place;
}

/** The first citation of a note, as the note reader reads it. */
function citationOf(note: string): NoteCitation {
  const citation = checkNote(bundledCorpus(), note).analysis?.citations[0];
  assert.ok(citation);
  return citation;
}

// korybko2021, a plain-text source: one paragraph per line, ¶ 1 the title.
const IN_4 = 'Russia seemingly still regards the Taliban as “reasonable”';
const ACROSS_2_3 = 'consider resigning. The Taliban captured over half';

describe('places and locators', () => {
  test('one paragraph, or a range', () => {
    assert.equal(describePlace(placeOf(IN_4, 'korybko2021')), 'korybko2021 ¶ 4');
    assert.equal(locatorText(placeOf(IN_4, 'korybko2021')), '¶ 4');
    assert.equal(describePlace(placeOf(ACROSS_2_3, 'korybko2021')), 'korybko2021 ¶¶ 2–3');
    assert.equal(locatorText(placeOf(ACROSS_2_3, 'korybko2021')), '¶¶ 2–3');
  });

  test('a citation in the form the writer used: bracketed or narrative', () => {
    const place = placeOf(IN_4, 'korybko2021');
    assert.equal(citationFor(place, citationOf('Text [@gul2021, ¶ 2].\n')), '[@korybko2021, ¶ 4]');
    assert.equal(citationFor(place, citationOf('@gul2021 [¶ 2] says so.\n')), '@korybko2021 [¶ 4]');
    assert.equal(citationFor(place, undefined), '[@korybko2021, ¶ 4]');
  });

  test('the keys of a group, joined with "or"', () => {
    assert.equal(keysOf(citationOf('Text [@gul2021].\n')), 'gul2021');
    assert.equal(keysOf(citationOf('Text [@gul2021; @anon2021; @suchkov2021].\n')), 'gul2021, anon2021 or suchkov2021');
  });
});

describe('quoteSnippet', () => {
  test('white space folded; a long text cut to the limit with an ellipsis', () => {
    assert.equal(quoteSnippet('  the  Taliban\ncaptured  '), 'the Taliban captured');
    assert.equal(quoteSnippet('abcdefghij', 6), 'abcde…');
    assert.equal(quoteSnippet('abcdef', 6), 'abcdef');
  });
});

describe('describeChanges', () => {
  test('a changed, a missing and an added stretch', () => {
    assert.equal(
      describeChanges([
        { source: 'ISIS', quotation: 'terrorism' },
        { source: 'at most', quotation: '' },
        { source: '', quotation: 'very' },
      ]),
      'source has "ISIS", not "terrorism"; source also has "at most"; source does not have "very"',
    );
  });

  test('a bracket standing for too many words, or for words it cannot name', () => {
    assert.equal(
      describeChanges([{ kind: 'bracket', source: 'the early 2000s and journalists pressured', quotation: '[them]', sourceWords: 6 }]),
      '"[them]" stands in for 6 source words ("the early 2000s and journalists pressured"); a bracket may replace at most 5',
    );
    assert.match(describeChanges([{ kind: 'bracket', source: 'pressured', quotation: '[them]', sourceWords: 1 }]), /^"\[them\]" stands in for "pressured", which names nothing a bracket could name/u);
  });

  test('three changes are shown, the rest counted', () => {
    const change = { source: 'a', quotation: 'b' };
    assert.equal(describeChanges([change, change, change, change]), 'source has "a", not "b"; source has "a", not "b"; source has "a", not "b"; and 1 more change');
    assert.match(describeChanges([change, change, change, change, change]), /; and 2 more changes$/u);
  });
});
