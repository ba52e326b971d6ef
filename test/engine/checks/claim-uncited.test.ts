import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNote } from '../../../server/src/engine/check.js';
import { applyEdit, bundledCorpus, check, claimChecker, codes } from '../../helpers.js';

describe('claim-uncited in a note', () => {
  test('an uncited factual sentence gets information severity, three supporting passages as fixes', () => {
    const note = 'The Taliban captured over half of Afghanistan’s regional capitals in a single week.\n';
    const [d] = check(note);
    assert.equal(d.code, 'claim-uncited');
    assert.equal(d.severity, 'information');
    assert.match(d.message, /^Claim with no citation: it states a figure \(half\) and says what the Taliban did \(“The Taliban captured”\)/);
    assert.equal(d.data?.candidates?.[0].key, 'korybko2021');
    assert.equal(d.data?.candidates?.[0].paragraph, 3);
    const fix = d.data?.alternatives?.[0];
    assert.equal(fix?.newText, ' [@korybko2021, ¶ 3]');
    assert.match(fix?.title ?? '', /^Cite korybko2021 ¶ 3 — "The Taliban captured over half of Afghanistan’s regional/);
    // Inserted before the final full stop.
    assert.deepEqual(fix?.range.start, { line: 0, character: note.indexOf('.') });
    assert.ok((d.data?.alternatives?.length ?? 0) <= 3);
  });

  test('a passage whose figures contradict the claim’s is not suggested: anon2021 ¶ 15 gives 1979, but 12, not nine', () => {
    const [d] = check('The Soviet Union invaded Afghanistan in 1979 and stayed for nine years.\n');
    assert.equal(d.code, 'claim-uncited');
    assert.deepEqual(d.data?.alternatives, []);
    // ¶ 15 gives 1979 and ¶ 16 nine years: the facts stand in the corpus, in no one passage, so it does not say that nothing supports them.
    assert.match(d.message, /; no one passage in the corpus gives its figures$/);
    const [two] = check('The Soviet Union invaded Afghanistan in 1979, and some 15,000 Soviet troops were killed.\n');
    assert.equal(two.code, 'claim-uncited');
    assert.doesNotMatch(two.message, /nothing in the corpus supports it/);
  });

  test('every passage suggested for a claim with figures gives them: citing it draws no claim-unsupported', () => {
    const sentences = [
      // zochowski2021 ¶ 10 (2014, 2017 and 2018, not 2003) shares the words; anon2021 ¶ 7 gives both years.
      'Russia put the Taliban on its terrorist list in 2003 and has hosted its representatives since 2018.',
      // zochowski2021 ¶ 6 gives 19 and 23 August; ¶ 5 gives 16 August.
      'Russia has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August.',
      'The Soviet war in Afghanistan lasted nine years and killed as many as 2 million Afghans.',
      'The Taliban captured 30 districts in ten days.',
      // suchkov2021 ¶ 1 gives 85%; zochowski2021 ¶ 10 shares the words and gives no percentage at all.
      'About 85% of Afghanistan was under Taliban control by July.',
    ];
    const offered: string[] = [];
    for (const sentence of sentences) {
      const note = `${sentence}\n`;
      const [d] = check(note);
      assert.equal(d.code, 'claim-uncited', sentence);
      const alternatives = d.data?.alternatives ?? [];
      assert.ok(alternatives.length > 0, `a passage is offered for: ${sentence}`);
      for (const fix of alternatives) {
        offered.push(fix.newText);
        const cited = check(applyEdit(note, fix.range, fix.newText));
        assert.deepEqual(cited.map((c) => c.message), [], `${sentence} cited ${fix.newText}`);
      }
    }
    assert.ok(offered.includes(' [@anon2021, ¶ 7]') && offered.includes(' [@zochowski2021, ¶ 5]'));
    assert.ok(offered.includes(' [@suchkov2021, ¶ 1]'), offered.join(', '));
    assert.ok(!offered.includes(' [@zochowski2021, ¶ 10]') && !offered.includes(' [@zochowski2021, ¶ 6]'), offered.join(', '));
  });

  test('when nothing in the corpus supports the claim it says so and offers no weak match', () => {
    const [d] = check('The Bolivian senate voted 41 to 12 against the lithium treaty in March 1997.\n');
    assert.equal(d.code, 'claim-uncited');
    assert.match(d.message, /nothing in the corpus supports it$/);
    assert.deepEqual(d.data?.alternatives, []);
  });

  test('a citation in the paragraph attributes its claims; scope "sentence" makes it strict', () => {
    const note = 'Moscow kept its embassy in Kabul open. Its staff stayed under guard [@zochowski2021, ¶ 5].\n';
    assert.deepEqual(check(note), []);
    const strict = checkNote(bundledCorpus(), note, { checker: claimChecker(bundledCorpus(), { scope: 'sentence' }) });
    assert.deepEqual(codes(strict.diagnostics), ['claim-uncited']);
  });

  test('the writer’s voice is never flagged', () => {
    const note = [
      'This seems to me the heart of the matter. I will return to it below.',
      '',
      'Why did Moscow keep its embassy open? In my view, the answer is caution.',
      '',
      '# Russia kept its embassy open in 2021',
      '',
    ].join('\n');
    assert.deepEqual(check(note), []);
  });

  test('a sentence with an uncited quotation is left to quote-uncited', () => {
    const note = 'Korybko wrote in August that "the Taliban cannot seize Kabul and have not yet done it".\n';
    assert.deepEqual(codes(check(note)), ['quote-uncited']);
  });

  test('sensitivity "low" asks for more evidence', () => {
    const note = 'Moscow kept its embassy in Kabul open.\n';
    const low = checkNote(bundledCorpus(), note, { checker: claimChecker(bundledCorpus(), { sensitivity: 'low' }) });
    assert.deepEqual(low.diagnostics, []);
    assert.deepEqual(codes(check(note)), ['claim-uncited']);
  });
});
