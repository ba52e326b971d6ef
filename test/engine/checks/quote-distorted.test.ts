import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../server/src/engine/diagnostics.js';
import type { Range } from '../../../server/src/engine/text/lines.js';
import { checkNote } from '../../../server/src/engine/check.js';
import { applyEdit, bundledCorpus, check, codes } from '../../helpers.js';

/**
 * `quote-distorted` against the bundled corpus: the words are the source's once ellipses and brackets are
 * read, but an ellipsis leaves out, inside one source sentence, a word that turns or limits the sense, or a
 * bracket adds a negation the source does not have. Each diagnostic stands on the ellipsis or the bracket
 * itself, and its repair makes the quotation the source's words again.
 */

/** The note's own text in an LSP range (one-line notes). */
function slice(note: string, range: Range): string {
  assert.equal(range.start.line, 0);
  assert.equal(range.end.line, 0);
  return note.slice(range.start.character, range.end.character);
}

/** The one diagnostic of a one-quotation note, which must be quote-distorted. */
function distorted(note: string): Diagnostic {
  const diagnostics = check(note);
  assert.deepEqual(codes(diagnostics), ['quote-distorted'], diagnostics.map((d) => d.message).join('\n'));
  return diagnostics[0];
}

/** Asserts the message, what the diagnostic stands on, what its fix replaces and with what, and that the fix leaves nothing to report. */
function expectDistorted(note: string, message: string, on: string, replaces: string, by: string): void {
  const d = distorted(note);
  assert.equal(d.message, message);
  assert.equal(d.severity, 'warning');
  assert.equal(slice(note, d.range), on);
  const fix = d.data?.fix;
  assert.ok(fix, 'a repair');
  assert.deepEqual({ replaces: slice(note, fix.range), by: fix.newText }, { replaces, by });
  assert.deepEqual(check(applyEdit(note, fix.range, fix.newText)), []);
}

describe('an ellipsis that leaves out a negation inside one sentence', () => {
  test('"not" (korybko2021 ¶ 5: "does not open any door")', () => {
    expectDistorted(
      'Korybko: "Kandahar’s seizure does … open any door" [@korybko2021, ¶ 5].\n',
      'The ellipsis leaves out "not" (korybko2021 ¶ 5): the source says "… does not open …"',
      '…',
      ' … ',
      ' not ',
    );
  });

  test('"n\'t" inside a contraction: "isn’t" (korybko2021 ¶ 5)', () => {
    expectDistorted(
      'Kabulov "said that his country ... considering evacuating its embassy in Kabul" [@korybko2021, ¶ 5].\n',
      'The ellipsis leaves out "isn’t" (korybko2021 ¶ 5): the source says "… country isn’t considering …"',
      '...',
      ' ... ',
      ' isn’t ',
    );
  });

  test('"no" (korybko2021 ¶ 8: "has practically no power left")', () => {
    expectDistorted(
      '"The Afghan leader has practically … power left anymore" [@korybko2021, ¶ 8].\n',
      'The ellipsis leaves out "no" (korybko2021 ¶ 8): the source says "… practically no power …"',
      '…',
      ' … ',
      ' no ',
    );
  });

  test('"never" (suchkov2021 ¶ 3), the ellipsis in brackets', () => {
    expectDistorted(
      'Suchkov: such speculation "have [...] been in short supply among the Russian political and expert community" [@suchkov2021, ¶ 3].\n',
      'The ellipsis leaves out "never" (suchkov2021 ¶ 3): the source says "… have never been …"',
      '[...]',
      ' [...] ',
      ' never ',
    );
  });

  test('a passage that recurs is read at the cited paragraph (korybko2021 ¶ 2 and ¶ 10 share a sentence)', () => {
    for (const paragraph of [2, 10]) {
      expectDistorted(
        `"It … hinted anything to this effect" [@korybko2021, ¶ ${paragraph}].\n`,
        `The ellipsis leaves out "hasn’t" (korybko2021 ¶ ${paragraph}): the source says "… It hasn’t hinted …"`,
        '…',
        ' … ',
        ' hasn’t ',
      );
    }
  });
});

describe('an ellipsis that leaves out a contrast or a condition inside one sentence', () => {
  test('"but" (korybko2021 ¶ 2): the repair restores the comma with it', () => {
    expectDistorted(
      '"It hasn’t hinted anything to this effect … it would be wise" [@korybko2021, ¶ 2].\n',
      'The ellipsis leaves out "but" (korybko2021 ¶ 2): the source says "… effect, but it …"',
      '…',
      ' … ',
      ', but ',
    );
  });

  test('"however" (anon2021 ¶ 7)', () => {
    expectDistorted(
      'The copy: "Russia put the Taliban on its terrorist checklist again in 2003 … welcomed Taliban representatives for talks since 2018" [@anon2021, ¶ 7].\n',
      'The ellipsis leaves out "however" (anon2021 ¶ 7): the source says "… 2003 however welcomed …"',
      '…',
      ' … ',
      ' however ',
    );
  });

  test('"unless" (korybko2021 ¶ 11)', () => {
    expectDistorted(
      'Korybko: "to overthrow him … Russia first convinces the Afghan leader to step down" [@korybko2021, ¶ 11].\n',
      'The ellipsis leaves out "unless" (korybko2021 ¶ 11): the source says "… him unless Russia …"',
      '…',
      ' … ',
      ' unless ',
    );
  });

  test('a long omission names every such word and quotes a window around them (suchkov2021 ¶ 14)', () => {
    const note = 'Suchkov: "Russia may not like having an Islamic emirate a few miles from its borders … Russia seems to believe it can live with it" [@suchkov2021, ¶ 14].\n';
    const d = distorted(note);
    assert.equal(
      d.message,
      'The ellipsis leaves out "but" and "not" (suchkov2021 ¶ 14): the source says "… borders, but as long as the Taliban’s agenda is local and not global, like that of …"',
    );
    assert.equal(slice(note, d.range), '…');
    const fix = d.data?.fix;
    assert.ok(fix);
    assert.deepEqual(check(applyEdit(note, fix.range, fix.newText)), []);
  });

  test('in a blockquote, the diagnostic stands on the ellipsis', () => {
    const note = '> Russia may not like having an Islamic emirate a few miles from its borders … Russia seems to believe it can live with it.\n> -- [@suchkov2021, ¶ 14]\n';
    const d = distorted(note);
    assert.equal(slice(note, d.range), '…');
    assert.match(d.message, /^The ellipsis leaves out "but" and "not" \(suchkov2021 ¶ 14\)/u);
  });
});

describe('a quotation with several edits: each is read on its own, in place', () => {
  test('of two ellipses, only the one that leaves out "didn’t" is reported, on itself (korybko2021 ¶ 3)', () => {
    const note = '"The latest peace talks in Doha … deter them from continuing their offensive, which speaks … about advancing a military solution" [@korybko2021, ¶ 3].\n';
    const d = distorted(note);
    assert.equal(d.message, 'The ellipsis leaves out "didn’t" (korybko2021 ¶ 3): the source says "… Doha didn’t deter …"');
    assert.deepEqual([d.range.start.character, d.range.end.character], [note.indexOf('…'), note.indexOf('…') + 1]);
  });

  test('of two brackets around an ellipsis, only the one that adds "no" is reported (korybko2021 ¶ 3)', () => {
    expectDistorted(
      '"The Taliban [also] captured over half of Afghanistan’s regional capitals … and now exerts control over territory equivalent to [no more than] half the size of Texas" [@korybko2021, ¶ 3].\n',
      'The bracket adds "no", which the source does not say (korybko2021 ¶ 3): the source has "… to at least half …"',
      '[no more than]',
      '[no more than]',
      'at least',
    );
  });
});

describe('a bracket that adds a negation', () => {
  test('"[not]" where the source has nothing: the repair removes it (korybko2021 ¶ 6)', () => {
    expectDistorted(
      '"Kabul can [not] be isolated within 72 hours" [@korybko2021, ¶ 6].\n',
      'The bracket adds "not", which the source does not say (korybko2021 ¶ 6): the source has "… can be …"',
      '[not]',
      '[not] ',
      '',
    );
  });

  test('"[no longer]" standing in for "now at most": the repair restores the source\'s words (korybko2021 ¶ 6)', () => {
    expectDistorted(
      '"The group is [no longer] 50 kilometers away from the capital" [@korybko2021, ¶ 6].\n',
      'The bracket adds "no", which the source does not say (korybko2021 ¶ 6): the source has "… is now at most 50 …"',
      '[no longer]',
      '[no longer]',
      'now at most',
    );
  });
});

describe('what must not fire', () => {
  test('an ellipsis that leaves out a whole sentence holding a negation (korybko2021 ¶ 9: "It shouldn’t be interpreted …")', () => {
    const note =
      '"Lamenting the Taliban’s ongoing offensive is consistent with the Kremlin’s policy of pursuing a purely peaceful political solution to the conflict. … If anything, Moscow might engage the Taliban more intensely than ever before" [@korybko2021, ¶ 9].\n';
    assert.deepEqual(check(note), []);
  });

  test('an ellipsis that reaches past a sentence end, though it leaves out "without" (korybko2021 ¶ 8)', () => {
    assert.deepEqual(check('"the group can’t reasonably halt its offensive … has practically no power left anymore" [@korybko2021, ¶ 8].\n'), []);
  });

  test('an ellipsis that leaves out an aside with none of these words (korybko2021 ¶ 8, ¶ 6)', () => {
    assert.deepEqual(check('"His top diplomat said … that Kabul ‘fully trusts’ Moscow’s ties with the Taliban" [@korybko2021, ¶ 8].\n'), []);
    assert.deepEqual(check('"Senior Research Fellow … Vladimir Sotnikov expects the Taliban to take Kabul by 27 September" [@korybko2021, ¶ 6].\n'), []);
  });

  test('an explanatory bracket (korybko2021 ¶ 3, ¶ 5)', () => {
    assert.deepEqual(check('"The latest peace talks in Doha didn’t deter [the Taliban] from continuing their offensive" [@korybko2021, ¶ 3].\n'), []);
    assert.deepEqual(check('"Kabulov said that [Russia] isn’t considering evacuating its embassy" [@korybko2021, ¶ 5].\n'), []);
  });

  test('a bracket whose negation the source has too (korybko2021 ¶ 5: "isn’t considering")', () => {
    assert.deepEqual(check('"his country [is not] considering evacuating its embassy" [@korybko2021, ¶ 5].\n'), []);
  });

  test('the severity setting turns it off, and a suppression comment silences it', () => {
    const note = 'Korybko: "Kandahar’s seizure does … open any door" [@korybko2021, ¶ 5].\n';
    assert.deepEqual(checkNote(bundledCorpus(), note, { severity: { 'quote-distorted': 'off' } }).diagnostics, []);
    assert.deepEqual(check(`<!-- verbatim-disable-next-line quote-distorted -->\n${note}`), []);
  });
});
