import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../server/src/engine/diagnostics.js';
import { checkNote } from '../../../server/src/engine/check.js';
import { placesOf } from '../../../server/src/engine/match/judge.js';
import { bundledCorpus, check, codes } from '../../helpers.js';

/**
 * Near matches against the bundled corpus: the message names exactly what changed, and the quick fix swaps
 * only those words — a substitution pairs the words that stand in the same place, a repair brings in no more
 * words than the quotation changed plus a short margin, and where there is no clean repair there is no fix.
 */

/** The one diagnostic of a one-quotation note, which must be quote-mismatch. */
function mismatch(note: string): Diagnostic {
  const diagnostics = check(note);
  assert.deepEqual(codes(diagnostics), ['quote-mismatch'], diagnostics.map((d) => d.message).join('\n'));
  return diagnostics[0];
}

function offset(note: string, position: { line: number; character: number }): number {
  const lines = note.split('\n');
  return lines.slice(0, position.line).reduce((n, line) => n + line.length + 1, 0) + position.character;
}

/** What the fix replaces (the note's own text in its range) and with what. */
function edit(note: string, d: Diagnostic): { replaces: string; with: string } | undefined {
  const fix = d.data?.fix;
  if (!fix) return undefined;
  return { replaces: note.slice(offset(note, fix.range.start), offset(note, fix.range.end)), with: fix.newText };
}

/** The note with the diagnostic's fix applied. */
function repaired(note: string, d: Diagnostic): string {
  const fix = d.data?.fix;
  assert.ok(fix);
  return note.slice(0, offset(note, fix.range.start)) + fix.newText + note.slice(offset(note, fix.range.end));
}

/** Asserts the exact message and the exact edit, and that the edit leaves the quotation verbatim. */
function expectRepair(note: string, message: string, replaces: string, by: string): void {
  const d = mismatch(note);
  assert.equal(d.message, message);
  assert.deepEqual(edit(note, d), { replaces, with: by });
  assert.deepEqual(check(repaired(note, d)), []);
}

describe('a substitution at the end of a quotation is paired with the words in its place', () => {
  test('"like a python" for "like an anaconda" (korybko2021): not a long omission reaching a distant "a"', () => {
    expectRepair(
      'A member said "We will get around Kabul like a python" [@korybko2021, ¶ 6].\n',
      'Quotation differs from korybko2021 ¶ 6: source has "an anaconda", not "a python"',
      'a python',
      'an anaconda',
    );
  });

  test('"the city" for "the capital" (korybko2021): not matched to a "city" in the next paragraph', () => {
    expectRepair(
      'Korybko: "which symbolically represents the 25th anniversary of their first capture of the city" [@korybko2021, ¶ 6].\n',
      'Quotation differs from korybko2021 ¶ 6: source has "capital", not "city"',
      'city',
      'capital',
    );
  });

  test('"the movement" for "them" (zochowski2021): the repair keeps "in" its object', () => {
    expectRepair(
      'Żochowski: "despite maintaining working contacts with the Taliban, in reality Moscow has limited confidence in the movement" [@zochowski2021, ¶ 13].\n',
      'Quotation differs from zochowski2021 ¶ 13: source has "them", not "the movement"',
      'the movement',
      'them',
    );
  });

  test('"the country" for "Afghanistan" (anon2021): not a long omission reaching a distant "the"', () => {
    expectRepair(
      'The copy: "One other potential headache for Moscow is the wave of refugees fleeing the country" [@anon2021, ¶ 13].\n',
      'Quotation differs from anon2021 ¶ 13: source has "Afghanistan", not "the country"',
      'the country',
      'Afghanistan',
    );
  });
});

describe('a substitution at the start of a quotation is paired with the words in its place', () => {
  test('"The United States" for "Moscow" (gul2021): not a "the" in the previous paragraph', () => {
    expectRepair(
      'Gul: "The United States has downplayed concerns about the dramatic insurgent advances" [@gul2021].\n',
      'Quotation differs from gul2021 ¶ 2: source has "Moscow", not "The United States"',
      'The United States',
      'Moscow',
    );
  });

  test('"The Kremlin" for "Russia" (suchkov2021)', () => {
    expectRepair(
      'Suchkov: "The Kremlin has a visa-free regime with all the Central Asian countries" [@suchkov2021, ¶ 2].\n',
      'Quotation differs from suchkov2021 ¶ 2: source has "Russia", not "The Kremlin"',
      'The Kremlin',
      'Russia',
    );
  });

  test('"The Kremlin" for "Russia" (anon2021): not the end of the previous paragraph', () => {
    expectRepair(
      'The copy: "The Kremlin put the Taliban on its terrorist checklist again in 2003" [@anon2021, ¶ 7].\n',
      'Quotation differs from anon2021 ¶ 7: source has "Russia", not "The Kremlin"',
      'The Kremlin',
      'Russia',
    );
  });
});

describe('a change inside a hyphenated word names and repairs the whole word', () => {
  test('"long-standing" for "long-tended" (zochowski2021 ¶ 8): not "tended" for "standing"', () => {
    expectRepair(
      'Moscow is using "its long-standing contacts with the Taliban to establish pragmatic relations with them" [@zochowski2021, ¶ 8].\n',
      'Quotation differs from zochowski2021 ¶ 8: source has "long-tended", not "long-standing"',
      'long-standing',
      'long-tended',
    );
  });

  test('"well-tended" for "long-tended": the first half changed (zochowski2021 ¶ 8)', () => {
    expectRepair(
      'Moscow is using "its well-tended contacts with the Taliban to establish pragmatic relations with them" [@zochowski2021, ¶ 8].\n',
      'Quotation differs from zochowski2021 ¶ 8: source has "long-tended", not "well-tended"',
      'well-tended',
      'long-tended',
    );
  });

  test('the hover’s list of changes names the whole words too', () => {
    const d = mismatch('Russia can "finally enter its long-delayed reconstruction phase with full international support" [@korybko2021, ¶ 12].\n');
    assert.deepEqual(d.data?.changes, [{ source: 'long-overdue', quotation: 'long-delayed' }]);
  });
});

describe('two words swapped at the end of a quotation are one change', () => {
  test('"of country the" (suchkov2021): not "country" added and dropped from the repair', () => {
    expectRepair(
      'Suchkov: "announced it controlled up to 85% of country the" [@suchkov2021].\n',
      'Quotation differs from suchkov2021 ¶ 1: source has "the country", not "country the"',
      'country the',
      'the country',
    );
  });

  test('"regional interests security" (gul2021)', () => {
    expectRepair(
      'Gul: "the stability of neighboring Central Asian states and Moscow’s regional interests security" [@gul2021, ¶ 2].\n',
      'Quotation differs from gul2021 ¶ 2: source has "security interests", not "interests security"',
      'interests security',
      'security interests',
    );
  });
});

describe('a long insertion after the source’s sentence ends is the writer’s own', () => {
  test('"… a few weeks away from now, the commander said" (korybko2021): not paired with the next sentence', () => {
    expectRepair(
      'Korybko: "Control of Kabul and the Afghan regime is inevitable, perhaps a few weeks away from now, the commander said" [@korybko2021, ¶ 6].\n',
      'Quotation differs from korybko2021 ¶ 6: source does not have "from now, the commander said"',
      'away from now, the commander said',
      'away',
    );
  });

  test('"… key military infrastructure across the north of the country" (suchkov2021)', () => {
    expectRepair(
      'Suchkov: "the Taliban are rapidly filling the void by occupying large new swaths of territory and key military infrastructure across the north of the country" [@suchkov2021, ¶ 1].\n',
      'Quotation differs from suchkov2021 ¶ 1: source does not have "across the north of the country"',
      'infrastructure across the north of the country',
      'infrastructure',
    );
  });
});

describe('a long deletion is named and restored', () => {
  test('"between the Taliban and Karzai" (zochowski2021): the omission, not "Karzai" for "a"', () => {
    expectRepair(
      'Żochowski: "It also supports the ongoing negotiations between the Taliban and Karzai" [@zochowski2021, ¶ 8].\n',
      'Quotation differs from zochowski2021 ¶ 8: source also has "a group of politicians from the so-called High Council for National Reconciliat…"',
      'and Karzai',
      'and a group of politicians from the so-called High Council for National Reconciliation (Abdallah Abdallah, Hamid Karzai',
    );
  });
});

describe('where there is no clean repair, the message says what differs and there is no fix', () => {
  test('a bracket standing in for seven words says so (zochowski2021)', () => {
    const d = mismatch('Summit: "On 23 August [the CSTO] held an extraordinary summit devoted to Afghanistan" [@zochowski2021, ¶ 6].\n');
    assert.equal(
      d.message,
      'Quotation differs from zochowski2021 ¶ 6: "[the CSTO]" stands in for 7 source words ("the Collective Security Treaty Organisation and Uzbekistan"); a bracket may replace at most 5',
    );
    assert.deepEqual(d.data?.changes, [{ source: 'the Collective Security Treaty Organisation and Uzbekistan', quotation: '[the CSTO]' }]);
    assert.equal(d.data?.fix, undefined);
  });

  test('one word for six: named, but not pasted in (zochowski2021)', () => {
    const d = mismatch('Summit: "On 23 August the CSTO held an extraordinary summit devoted to Afghanistan" [@zochowski2021, ¶ 6].\n');
    assert.equal(d.message, 'Quotation differs from zochowski2021 ¶ 6: source has "Collective Security Treaty Organisation and Uzbekistan", not "CSTO"');
    assert.equal(d.data?.fix, undefined);
  });
});

describe('what a bracket may stand for: none, or a few source words that name what it names (seed sentences)', () => {
  /** The source words each bracket of a one-quotation note stands for, when it is accepted by convention. */
  function bracketsStandFor(note: string): string[] {
    const result = checkNote(bundledCorpus(), note);
    assert.deepEqual(codes(result.diagnostics), [], result.diagnostics.map((d) => d.message).join('\n'));
    const judged = result.judged[0];
    assert.equal(judged?.judgement.verdict, 'convention', note);
    const place = placesOf(judged.judgement)[0];
    return (place.edits ?? []).filter((e) => e.kind === 'bracket').map((e) => place.source.text.slice(e.start, e.end));
  }

  test('an interpolation adds words and replaces none: "the [Russian] Foreign Ministry" (suchkov2021 ¶ 5)', () => {
    assert.deepEqual(bracketsStandFor('Suchkov: "journalists pressured the [Russian] Foreign Ministry about the legal basis for officially hosting them in Moscow" [@suchkov2021, ¶ 5].\n'), ['']);
  });

  test('a bracket never stands for an unrelated stretch: "the [Russian] Foreign Ministry" is not "the early 2000s and journalists pressured the Foreign Ministry"', () => {
    const note = 'Suchkov: "the [Russian] Foreign Ministry about the legal basis for officially hosting them" [@suchkov2021, ¶ 5].\n';
    assert.deepEqual(bracketsStandFor(note), ['']);
    const place = placesOf(checkNote(bundledCorpus(), note).judged[0].judgement)[0];
    assert.equal(place.source.text.slice(place.start, place.end), 'the Foreign Ministry about the legal basis for officially hosting them');
  });

  test('a pronoun, a name, a phrase opened by a determiner: "[the Taliban]" for "they", "[the country’s]" for "Afghanistan’s"', () => {
    assert.deepEqual(bracketsStandFor('Zakharova: "we don’t hold official talks with non-official representatives as if [the Taliban] were official ones" [@suchkov2021, ¶ 5].\n'), ['they']);
    assert.deepEqual(bracketsStandFor('Korybko: "The Taliban captured over half of [the country’s] regional capitals in a single week" [@korybko2021].\n'), ['Afghanistan’s']);
  });

  test('word for word, a bracket restates: "[took]" for "captured" (korybko2021 ¶ 3)', () => {
    assert.deepEqual(bracketsStandFor('Korybko: "The Taliban [took] over half of Afghanistan’s regional capitals in a single week" [@korybko2021].\n'), ['captured']);
  });

  test('one word for two that name nothing is a change: "[took]" for "captured over" (korybko2021 ¶ 3)', () => {
    const d = mismatch('Korybko: "The Taliban [took] half of Afghanistan’s regional capitals in a single week" [@korybko2021].\n');
    assert.equal(
      d.message,
      'Quotation differs from korybko2021 ¶ 3: "[took]" stands in for "captured over", which names nothing a bracket could name (a bracket replaces a pronoun, a name or a short phrase naming one)',
    );
  });

  test('more than five words is a paraphrase, not a bracket: "[The group]" for "The Taliban have been designated as"… (suchkov2021 ¶ 5)', () => {
    const d = mismatch('Suchkov: "On Russian social media, the visit quickly turned into a political meme. [The group] “terrorist organization” in Russia since the early 2000s" [@suchkov2021, ¶ 5].\n');
    assert.match(d.message, /"\[The group\]" stands in for 6 source words \("The Taliban have been designated as"\); a bracket may replace at most 5$/u);
  });
});
