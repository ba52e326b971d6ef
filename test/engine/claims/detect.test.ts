import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNote } from '../../../server/src/engine/check.js';
import { explainClaim } from '../../../server/src/engine/claims/detect.js';
import { evaluate, SETS } from '../../../scripts/eval-claims.js';
import { bundledCorpus, check, claimChecker, claimTagger, codes } from '../../helpers.js';

describe('claim detection on the labelled sentences', () => {
  for (const set of SETS) {
    test(`${set.name}: precision ≥ 0.9, recall ≥ 0.8, no flag on opinion, questions or signposting`, () => {
      const scores = evaluate(claimTagger(), set.name, set.path);
      assert.ok(scores.sentences >= 60, `${scores.sentences} sentences`);
      assert.ok(scores.precision >= 0.9, `precision ${scores.precision}`);
      assert.ok(scores.recall >= 0.8, `recall ${scores.recall}`);
      assert.deepEqual(scores.voiceFlags, []);
    });
  }

  test('blind (another author’s, not tuned to): precision ≥ 0.92 and recall ≥ 0.88, the targets for sets the rules were not fitted to', () => {
    const blind = SETS.find((set) => set.name === 'blind');
    assert.ok(blind, 'test/claims/blind.json is missing');
    const scores = evaluate(claimTagger(), blind.name, blind.path);
    assert.ok(scores.sentences >= 200, `${scores.sentences} sentences`);
    assert.ok(scores.precision >= 0.92, `precision ${scores.precision}`);
    assert.ok(scores.recall >= 0.88, `recall ${scores.recall}`);
  });

  test('the diagnostic says why, in words', () => {
    assert.equal(
      explainClaim(claimTagger().assess('Last week the movement announced it controlled up to 85% of the country.')),
      'gives a date (Last week), states a figure (85%) and reports what someone said (“announced”)',
    );
    assert.equal(explainClaim(claimTagger().assess('Moscow kept its embassy in Kabul open.')), 'says what Moscow did (“Moscow kept”)');
  });

  test('a named subject is read whole: the noun phrase, not its first name word', () => {
    const says = (sentence: string): string => explainClaim(claimTagger().assess(sentence));
    assert.match(says('The Soviet Union invaded Afghanistan in 1979 and stayed for ten years.'), /says what the Soviet Union did \(“The Soviet Union invaded”\)$/);
    assert.match(says('Pakistan’s intelligence service arrested two Taliban commanders.'), /says what Pakistan’s intelligence service did \(“Pakistan’s intelligence service arrested”\)$/);
    assert.match(says('Fighters from the anti-Soviet Mujahideen later helped set up the Taliban in the 1990s.'), /says what the anti-Soviet Mujahideen did \(“the anti-Soviet Mujahideen helped”\)$/);
    assert.match(says('Zamir Kabulov met Taliban representatives in Moscow.'), /says what Zamir Kabulov did \(“Zamir Kabulov met”\)$/);
  });

  test('the subject reads as it would inside a sentence: a capital that only opens the sentence is lowered, a name’s is kept', () => {
    const says = (sentence: string): string => explainClaim(claimTagger().assess(sentence));
    assert.equal(says('Former Afghan president Hamid Karzai met Taliban leaders in Doha.'), 'says what former Afghan president Hamid Karzai did (“Former Afghan president Hamid Karzai met”)');
    assert.equal(says('Western governments evacuated their embassies in 2021.'), 'gives a date (2021) and says what western governments did (“Western governments evacuated”)');
    assert.equal(says('Russian diplomats stayed in Kabul.'), 'says what Russian diplomats did (“Russian diplomats stayed”)');
    // A verb with a particle (`closed in`) is two words: the subject is what stands before them, not all but the last word.
    assert.match(says('The embassy was closed in August.'), /says what happened to the embassy \(/);
  });

  test('a passive says what happened to its subject, with the auxiliary; a perfect keeps its auxiliary unless negated', () => {
    const says = (sentence: string): string => explainClaim(claimTagger().assess(sentence));
    assert.equal(says('The library was first released in 2002 and is now maintained by Simon Josefsson.'), 'gives a date (2002) and says what happened to the library (“The library was released”)');
    assert.equal(says('Simon Josefsson was appointed maintainer in 2006.'), 'gives a date (2006) and says what happened to Simon Josefsson (“Simon Josefsson was appointed”)');
    assert.equal(says('Its army had withdrawn by 1989.'), 'gives a date (1989) and says what its army did (“Its army had withdrawn”)');
    assert.match(says('Pakistan’s intelligence service has not arrested the two Taliban commanders.'), /says what Pakistan’s intelligence service did \(“Pakistan’s intelligence service arrested”\)$/);
  });

  test('a figure or date is named without the sentence’s punctuation, and a month with its year is one date', () => {
    const says = (sentence: string): string => explainClaim(claimTagger().assess(sentence));
    assert.equal(says('The plant shed 40 jobs.'), 'states a figure (40)');
    assert.equal(says('Prices rose by 3.5%.'), 'states a figure (3.5%)');
    assert.match(says('Mark Adler wrote the first version of zpipe.c in October 2004.'), /^gives a date \(in October 2004\), says what Mark Adler did/);
  });

  test('writing a thing is an act; writing that…, writing: “…” and writing on or to someone report words', () => {
    const says = (sentence: string): string => explainClaim(claimTagger().assess(sentence));
    // Sentences a note on zlib's zpipe.c example (its header names Mark Adler) would hold: what he wrote, and what he wrote of it.
    assert.equal(says('Mark Adler wrote the first version of zpipe.c.'), 'says what Mark Adler did (“Mark Adler wrote”) and makes a superlative claim (“the first”)');
    assert.equal(says('Adler wrote zpipe.c in 2004.'), 'gives a date (2004) and says what Adler did (“Adler wrote”)');
    assert.equal(says('The maintainer wrote a patch for the bug.'), 'says what the maintainer did (“The maintainer wrote”)');
    assert.equal(says('Mark Adler wrote that zpipe.c was only an example.'), 'reports what someone said (“wrote”)');
    assert.equal(says('Mark Adler wrote: "zpipe.c is only an example."'), 'reports what someone said (“wrote”)');
    assert.equal(says('Adler wrote, “It is only an example.”'), 'reports what someone said (“wrote”)');
    assert.equal(says('Kosachev wrote on Facebook that the myth was destroyed.'), 'reports what someone said (“wrote”)');
    assert.equal(says('Adler wrote recently that the example was enough.'), 'reports what someone said (“wrote”)');
    assert.equal(says('Adler wrote the example and said that it was enough.'), 'reports what someone said (“said”)');
  });
});

/** Each sentence as a paragraph of its own, checked as a note; the claim diagnostics' messages by sentence. */
function claimsIn(sentences: readonly string[], scope: 'paragraph' | 'sentence' = 'paragraph'): Map<string, string> {
  const note = sentences.join('\n\n') + '\n';
  const result = checkNote(bundledCorpus(), note, { checker: claimChecker(bundledCorpus(), { scope }) });
  const lines = note.split('\n');
  return new Map(result.diagnostics.filter((d) => d.code === 'claim-uncited').map((d) => [lines[d.range.start.line], d.message]));
}

describe('claim detection, mechanism by mechanism, through the check on a note', () => {
  test('reporting verbs come from a class (WordNet’s verbs of communication), not a short list', () => {
    const sentences = [
      'The minister pointed out that the tolls had fallen.',
      'Local traders complained about the pedestrian zone.',
      'The chief executive conceded the point in a letter.',
      'The bishop urged the parishes to stop paying the tithe.',
    ];
    const flagged = claimsIn(sentences);
    assert.deepEqual([...flagged.keys()], sentences);
    assert.match(flagged.get(sentences[0]) ?? '', /reports what someone said \(“pointed out”\)/);
    assert.match(flagged.get(sentences[2]) ?? '', /reports what someone said \(“conceded”\)/);
  });

  test('a claim needs neither a figure nor a capitalised actor: the subject and its verb come from the parse', () => {
    const flagged = claimsIn(['The commission later refused to renew the licence.', 'The regulator set a ceiling on weekly fares.', 'Nobody was charged over the deaths.']);
    assert.equal(flagged.size, 3);
    // `refuse` is a verb of communication in WordNet; `set` is read as past from its singular subject.
    assert.match(flagged.get('The commission later refused to renew the licence.') ?? '', /reports what someone said \(“refused”\)/);
    assert.match(flagged.get('The regulator set a ceiling on weekly fares.') ?? '', /says what the regulator did \(“The regulator set”\)/);
  });

  test('a pronoun subject reporting or acting is a claim', () => {
    const sentences = ['She complained that the new timetable ignored night workers.', 'They sold the depot to a property developer.', 'It withdrew the drug from sale.'];
    assert.deepEqual([...claimsIn(sentences).keys()], sentences);
  });

  test('an appositive between the subject and its verb is skipped', () => {
    const sentence = 'Okafor, the trust’s medical director, defended the decision to close the ward.';
    assert.match(claimsIn([sentence]).get(sentence) ?? '', /reports what someone said \(“defended”\)/);
  });

  test('the writer’s plans, instructions, hypotheticals, definitions, back-references and framing are never flagged', () => {
    const sentences = [
      'Suppose the regulator had acted a year earlier.',
      'Imagine a town where every bus is free.',
      'If the board had waited for the audit, the merger would have collapsed.',
      'Had the quotas come ten years earlier, the stocks might have recovered.',
      'Consider the case of a small pharmacy in a rural county.',
      'Check whether the fare figures include season tickets.',
      'Compare the two timetables before drawing any conclusion.',
      'I will use "landings" to mean fish brought ashore and sold.',
      'As I said above, the ledgers are incomplete.',
      'I have already described the licensing rules in 2019.',
      'Three questions follow from this.',
      'What follows reads four accounts of the strike side by side.',
    ];
    assert.deepEqual([...claimsIn(sentences).entries()], []);
  });

  test('a lowercase word the parser takes for an abbreviation (`cap.`) does not join two sentences', () => {
    // Under sentence scope the cited first sentence would otherwise cover the second.
    const flagged = claimsIn(['The agency set a price cap [@korybko2021, ¶ 3]. The operator later raised its fares by 9% in 2019.'], 'sentence');
    const [message] = [...flagged.values()];
    assert.equal(flagged.size, 1);
    assert.match(message, /states a figure \(9%\)/);
  });

  test('under sentence scope, a footnote reference after the full stop belongs to the sentence before it', () => {
    const note = 'Moscow kept its embassy in Kabul open.[^a] The Taliban captured 30 districts in ten days in June 2021.\n\n[^a]: See [@zochowski2021, ¶ 5].\n';
    const result = checkNote(bundledCorpus(), note, { checker: claimChecker(bundledCorpus(), { scope: 'sentence' }) });
    const claims = result.diagnostics.filter((d) => d.code === 'claim-uncited');
    assert.equal(claims.length, 1);
    assert.equal(note.slice(0, note.indexOf('\n')).slice(claims[0].range.start.character, claims[0].range.end.character), 'The Taliban captured 30 districts in ten days in June 2021.');
  });

  test('a paraphrase of a spun source is still found: anon2021 supports it, so the message does not say nothing does', () => {
    const [d] = check('Russia sees an opportunity to expand its role as a regional power in its own backyard.\n');
    assert.equal(d.code, 'claim-uncited');
    assert.doesNotMatch(d.message, /nothing in the corpus/);
    assert.equal(d.data?.candidates?.[0].key, 'anon2021');
    assert.equal(d.data?.candidates?.[0].paragraph, 2);
  });

  test('the tagger is passed in: a checker made without one reads quotations, not claims', () => {
    const note = 'The commission later refused to renew the licence.\n';
    assert.deepEqual(checkNote(bundledCorpus(), note).diagnostics, []);
    assert.deepEqual(codes(check(note)), ['claim-uncited']);
  });
});
