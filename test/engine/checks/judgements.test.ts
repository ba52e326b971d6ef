import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkNote } from '../../../server/src/engine/check.js';
import type { Diagnostic } from '../../../server/src/engine/diagnostics.js';
import { verdictCode } from '../../../server/src/engine/checks/judgements.js';
import { applyEdit, bundledCorpus, check, codes } from '../../helpers.js';

describe('verbatim: equal after typographic normalisation only', () => {
  test('exact words, cited with the right paragraph', () => {
    const note = 'Korybko: "it would be wise for the Kremlin to ask the Taliban" [@korybko2021, ¶ 2].\n';
    assert.deepEqual(check(note), []);
  });

  test('straight apostrophe for a curly one, and a different initial case', () => {
    const note = 'He writes: "The group can\'t reasonably halt its offensive" [@korybko2021].\n';
    assert.deepEqual(check(note), []);
  });

  test('nested double marks quoted as single marks', () => {
    const note = `Korybko: "Russia seemingly still regards the Taliban as 'reasonable' according to Foreign Minister Lavrov's earlier words" [@korybko2021].\n`;
    assert.deepEqual(check(note), []);
  });

  test('a dash typed as --, an ellipsis the source has, the final mark changed', () => {
    const note = [
      'Suchkov: "what Moscow calls its “near abroad” -- has been in flames in recent years!" [@suchkov2021, ¶ 2].',
      '',
      'The wire copy: "demonstrating the dedication and talent... to battle terrorism" [@anon2021].',
      '',
    ].join('\n');
    assert.deepEqual(check(note), []);
  });

  test('emphasis markers, HTML entities, no-break spaces and a line break inside the quotation', () => {
    const note = 'Gul: "The&nbsp;base was *handed over* to the\nANDSF" [@gul2021].\n';
    assert.deepEqual(check(note.replace('&nbsp;', '\u00a0')), []);
    assert.deepEqual(check(note), []);
  });

  test('a ligature in the note matches plain letters in the source', () => {
    // ﬁ (U+FB01), ﬂ (U+FB02) and ﬃ (U+FB03) in the quotation; the sources spell the letters out.
    const fi = 'Gul: "an Afghan Defense Ministry spokesman con\ufb01rmed" [@gul2021].\n';
    const fl = 'The wire copy: "the wave of refugees \ufb02eeing Afghanistan" [@anon2021].\n';
    const ffi = 'Gul: "these numbers are disputed by o\ufb03cials in Kabul" [@gul2021].\n';
    for (const note of [fi, fl, ffi]) {
      assert.ok(/[\ufb01-\ufb03]/u.test(note) && !/fi|fl/u.test(note.slice(note.indexOf('"'))), 'the quotation holds a ligature, not the letters');
      assert.deepEqual(check(note), []);
    }
    // A ligature stands for its own letters only: ﬂ where the source has "fi" is a change.
    assert.deepEqual(codes(check(fi.replace('\ufb01', '\ufb02'))), ['quote-mismatch']);
  });

  test('a verbatim passage that recurs: a locator naming either paragraph is right', () => {
    const quote = '"it would be wise for the Kremlin to ask the Taliban to hold off on capturing the capital"';
    assert.deepEqual(check(`Korybko: ${quote} [@korybko2021, ¶ 2].\n`), []);
    assert.deepEqual(check(`Korybko: ${quote} [@korybko2021, ¶ 10].\n`), []);
  });
});

describe('never normalised: spelling, numbers, case', () => {
  test('British spelling is a mismatch, with the source word in the message and the fix', () => {
    const note = 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-mismatch');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /korybko2021 ¶ 6: source has "kilometers", not "kilometres"/);
    assert.equal(d.data?.fix?.newText, 'kilometers');
  });

  test('a changed number is a mismatch', () => {
    const note = 'Suchkov: "the movement announced it controlled up to 75% of the country" [@suchkov2021].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-mismatch');
    assert.match(d.message, /source has "85", not "75"/);
  });

  test('a changed letter case inside the quotation is a mismatch', () => {
    const note = 'Suchkov: "a delegation from the Taliban’s “Political wing” travelled from Doha to Moscow" [@suchkov2021].\n';
    assert.deepEqual(codes(check(note)), ['quote-mismatch']);
  });
});

describe('scholarly conventions', () => {
  test('an ellipsis omission inside one paragraph', () => {
    const note = 'Żochowski: "ready to initiate the process of removing the Taliban from the list of terrorist organisations ... if they prove through their actions that they will keep the promises made in Moscow" [@zochowski2021].\n';
    assert.deepEqual(check(note), []);
  });

  test('spaced and four-dot ellipses', () => {
    assert.deepEqual(check('"Russia is indeed a key stakeholder . . . Russia has a visa-free regime" [@suchkov2021].\n'), []);
    assert.deepEqual(check('"Russia is indeed a key stakeholder in the process.... Russia has a visa-free regime" [@suchkov2021].\n'), []);
  });

  test('an ellipsis joining adjacent paragraphs is fine; joining distant ones is not', () => {
    assert.deepEqual(check('"Many regional governments are looking to Moscow for support and defense. … Russia is indeed a key stakeholder" [@suchkov2021].\n'), []);
    const far = '"Many regional governments are looking to Moscow for support and defense … The bitter lesson of the Soviet invasion" [@suchkov2021].\n';
    assert.notDeepEqual(codes(check(far)), []);
  });

  test('pieces out of order are not an omission', () => {
    const note = '"Russia has a visa-free regime ... Russia is indeed a key stakeholder" [@suchkov2021].\n';
    assert.notDeepEqual(codes(check(note)), []);
  });

  test('a bracketed case change', () => {
    assert.deepEqual(check('Suchkov: "[t]he Taliban sought to provide reassurances on all four items" [@suchkov2021].\n'), []);
    assert.deepEqual(check('Korybko: "[T]he latest peace talks in Doha didn’t deter them" [@korybko2021].\n'), []);
  });

  test('a bracketed substitution stands in for a few source words', () => {
    const note = 'Gul: "[Moscow] has downplayed concerns about the dramatic insurgent advances" [@gul2021].\n';
    assert.deepEqual(check(note), []);
    const middle = 'Suchkov: "the Taliban are rapidly filling the void by occupying [new territory] and key military infrastructure" [@suchkov2021].\n';
    assert.deepEqual(check(middle), []);
  });

  test('a bracketed substitution may not stand in for more than five words', () => {
    const note = 'Suchkov: "As U.S. forces continue [to leave], the Taliban are rapidly filling the void by occupying large new swaths of territory and key military infrastructure" [@suchkov2021].\n';
    assert.deepEqual(check(note), []);
    const tooLong = 'Suchkov: "As U.S. forces continue [to leave] large new swaths of territory" [@suchkov2021].\n';
    assert.notDeepEqual(codes(check(tooLong)), []);
  });

  test('[sic], (emphasis added) and (emphasis in original) are editorial marks', () => {
    assert.deepEqual(check('The copy says Moscow "additionally made certain to mission drive [sic] by holding joint navy workout routines" [@anon2021].\n'), []);
    assert.deepEqual(check('"Russia is the *only* member of the Extended Troika with equal influence (emphasis added)" [@korybko2021].\n'), []);
    assert.deepEqual(check('"Russia is the only member of the Extended Troika (emphasis in original)" [@korybko2021].\n'), []);
  });

  test('a silent omission is a mismatch that names the missing words', () => {
    const note = 'Żochowski: "despite maintaining working contacts with the Taliban, Moscow has limited confidence in them" [@zochowski2021].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-mismatch');
    assert.match(d.message, /source also has "in reality"/);
  });
});

describe('verdicts against the corpus', () => {
  test('a paraphrase in the spun copy is found; its wire original is not', () => {
    assert.deepEqual(check('"Russia shouldn\'t be fascinated about having a brand new ISIS on its border" [@anon2021].\n'), []);
    assert.notDeepEqual(codes(check('"hinting at recognition" [@anon2021].\n')), []);
  });
});

describe('changes are named precisely, and repairs keep the writer’s other words', () => {
  /** The note after applying the diagnostic's fix. */
  function repaired(note: string): string {
    const [d] = check(note);
    const fix = d.data?.fix;
    assert.ok(fix, `a fix for ${d.code}: ${d.message}`);
    const lines = note.split('\n');
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    return note.slice(0, offset(fix.range.start)) + fix.newText + note.slice(offset(fix.range.end));
  }

  test('a long silent omission across a sentence is a mismatch naming what was left out', () => {
    const note = 'Żochowski: "Moscow is using its long-tended contacts with the Taliban to establish pragmatic relations with them. The primary aim is to ensure that the militants refrain from any actions" [@zochowski2021, ¶ 8].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-mismatch');
    assert.match(d.message, /source also has ", which should be based on their adherence to its ‘red lines’"$/);
    assert.deepEqual(check(repaired(note)), []);
  });

  test('a dropped phrase after the first word: the fix restores it and keeps the first word', () => {
    const note = '"Russia has maintained good relations with the Taliban" [@zochowski2021, ¶ 5].\n';
    const [d] = check(note);
    assert.match(d.message, /source also has ", alongside Pakistan, China, Iran and others,"$/);
    assert.equal(repaired(note), '"Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban" [@zochowski2021, ¶ 5].\n');
  });

  test('a slip after an ellipsis: only the slip is named and repaired, the ellipsis stays', () => {
    const note = '"Russia is indeed a key stakeholder ... Russia has a visa-free system with all the Central Asian countries" [@suchkov2021, ¶ 2].\n';
    const [d] = check(note);
    assert.match(d.message, /: source has "regime", not "system"$/);
    assert.equal(repaired(note), note.replace('system', 'regime'));
    assert.deepEqual(check(repaired(note)), []);
  });

  test('a slip beside a bracketed substitution: the bracket stays', () => {
    const note = '"Last week [the Taliban] announced it controlled up to 75% of the country" [@suchkov2021, ¶ 1].\n';
    const [d] = check(note);
    assert.match(d.message, /: source has "85", not "75"$/);
    assert.equal(repaired(note), note.replace('75%', '85%'));
  });

  test('a missing hyphen is named with its words and repaired without a stray space', () => {
    const note = '"a high ranking Taliban member recently threatened" [@korybko2021].\n';
    const [d] = check(note);
    assert.match(d.message, /source has "high-ranking", not "high ranking"$/);
    assert.equal(repaired(note), note.replace('high ranking', 'high-ranking'));
  });

  test('letter case changed throughout is a mismatch, not "not found"', () => {
    const [d] = check('"THE GROUP IS NOW AT MOST 50 KILOMETERS AWAY" [@korybko2021, ¶ 6].\n');
    assert.equal(d.code, 'quote-mismatch');
  });

  test('parts from two sources joined by an ellipsis: says which part is not in the cited source', () => {
    const [d] = check('"Russia is indeed a key stakeholder ... has limited confidence in them" [@suchkov2021].\n');
    assert.equal(d.code, 'quote-not-found');
    assert.equal(d.message, 'Quotation is not in suchkov2021 as quoted: "has limited confidence in them" (it is in zochowski2021 ¶ 13) is not in suchkov2021');
  });

  test('parts out of order: says so', () => {
    const [d] = check('"Russia has a visa-free regime ... Russia is indeed a key stakeholder" [@suchkov2021, ¶ 2].\n');
    assert.equal(d.message, "Quotation's parts are each in suchkov2021 ¶ 2, but not in this order");
  });
});

describe('citations in footnotes, speaker tags in blockquotes, recurring passages', () => {
  test('a footnote that cites counts as the citation where its reference stands', () => {
    const note = 'Moscow "has limited confidence in them".[^a] Korybko: "at most 50 kilometres away"[^b].\n\n[^a]: [@zochowski2021, ¶ 13].\n[^b]: See @korybko2021 [¶ 6].\n';
    assert.deepEqual(codes(check(note)), ['quote-mismatch']);
    assert.deepEqual(codes(check('Moscow "has limited confidence in them".[^c]\n\n[^c]: A remark, no citation.\n')), ['quote-uncited']);
  });

  test('a blockquote that quotes with marks and names the speaker: the marked words are the quotation', () => {
    const note = '> “The Taliban sought to provide reassurances on all four items,” notes Suchkov.\n>\n> -- [@suchkov2021, ¶ 10]\n';
    assert.deepEqual(check(note), []);
    const changed = note.replace('all four', 'all three');
    assert.deepEqual(codes(check(changed)), ['quote-mismatch']);
  });

  test('words found in another source are named with every paragraph they stand in', () => {
    const [d] = check('"would be wise for the Kremlin to ask the Taliban" [@gul2021]\n');
    assert.equal(d.message, 'Quotation is not in gul2021; it is in korybko2021 ¶ 2 (also ¶ 10)');
  });
});

describe('a citation in a footnote is checked as a citation where its reference stands', () => {
  /** The one fix a diagnostic carries, applied to the note. */
  const fixed = (note: string, d: Diagnostic): string => {
    assert.ok(d.data?.fix, `${d.code} carries a fix`);
    return applyEdit(note, d.data.fix.range, d.data.fix.newText);
  };
  const whole = (note: string): Diagnostic[] => checkNote(bundledCorpus(), note, { wholeNote: true }).diagnostics;

  test('a wrong paragraph: locator-mismatch on the reference, as inline, and its fix corrects the footnote', () => {
    const note = ['Moscow "has limited confidence in them".[^a]', '', 'My own remark in between.', '', '[^b]: [@gul2021].', '[^a]: [@zochowski2021, ¶ 3].', ''].join('\n');
    const diagnostics = check(note);
    assert.deepEqual(diagnostics, [
      {
        range: { start: { line: 0, character: 40 }, end: { line: 0, character: 44 } },
        severity: 'warning',
        code: 'locator-mismatch',
        message: 'Quotation is in zochowski2021 ¶ 13, not ¶ 3',
        source: 'verbatim',
        data: {
          key: 'zochowski2021',
          paragraphs: [13],
          fix: { title: 'Change the locator to ¶ 13', range: { start: { line: 5, character: 25 }, end: { line: 5, character: 26 } }, newText: '13' },
        },
      },
    ]);
    const [inline] = check('Moscow "has limited confidence in them" [@zochowski2021, ¶ 3].\n');
    assert.equal(inline.message, diagnostics[0].message);
    assert.equal(inline.data?.fix?.title, diagnostics[0].data?.fix?.title);
    assert.equal(fixed(note, diagnostics[0]), note.replace('¶ 3]', '¶ 13]'));
    assert.deepEqual(check(fixed(note, diagnostics[0])), []);
    assert.deepEqual(whole(note), diagnostics);
    // The same positions in a CRLF note.
    const crlf = note.replace(/\n/gu, '\r\n');
    assert.deepEqual(check(crlf), diagnostics);
    assert.deepEqual(check(fixed(crlf, diagnostics[0])), []);
  });

  test('a wrong source: quote-wrong-source on the quotation, and its fix re-points the footnote in the form it was written', () => {
    // The definitions stand before the quotations here, and one is narrative.
    const note = ['[^n]: See @suchkov2021 [¶ 3].', '[^k]: [@korybko2021, ¶ 2].', '', 'Moscow "has limited confidence in them".[^n]', '', 'Also "has not closed its embassy in Kabul".[^k]', ''].join('\n');
    const diagnostics = check(note);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.message, d.data?.fix]),
      [
        [
          'quote-wrong-source',
          3,
          'Quotation is not in suchkov2021; it is in zochowski2021 ¶ 13',
          { title: 'Cite zochowski2021 ¶ 13 instead', range: { start: { line: 0, character: 10 }, end: { line: 0, character: 28 } }, newText: '@zochowski2021 [¶ 13]' },
        ],
        [
          'quote-wrong-source',
          5,
          'Quotation is not in korybko2021; it is in zochowski2021 ¶ 5',
          { title: 'Cite zochowski2021 ¶ 5 instead', range: { start: { line: 1, character: 7 }, end: { line: 1, character: 24 } }, newText: '@zochowski2021, ¶ 5' },
        ],
      ],
    );
    assert.equal(fixed(note, diagnostics[0]).split('\n')[0], '[^n]: See @zochowski2021 [¶ 13].');
    assert.equal(fixed(note, diagnostics[1]).split('\n')[1], '[^k]: [@zochowski2021, ¶ 5].');
    assert.deepEqual(check(fixed(fixed(note, diagnostics[1]), diagnostics[0])), []);
    assert.deepEqual(whole(note), diagnostics);
  });

  test('a paragraph that does not exist: one locator-invalid, where the footnote writes it, however often it is referred to', () => {
    const note = 'One "has limited confidence in them".[^a] Two "has not closed its embassy in Kabul".[^a]\n\n[^a]: [@zochowski2021, ¶ 30].\n';
    const diagnostics = check(note);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range, d.message]),
      [['locator-invalid', { start: { line: 2, character: 23 }, end: { line: 2, character: 27 } }, 'zochowski2021 has 13 paragraphs; ¶ 30 does not exist']],
    );
    assert.deepEqual(whole(note), diagnostics);
  });

  test('a footnote two paragraphs refer to, defined before them: its own problems are reported once, in the footnote', () => {
    const note = [
      '[^z]: [@zochowski2021, ¶ 30]. Its words: "has not closed its embassy in Kabull" [@zochowski2021].',
      '',
      'One: "has limited confidence in them".[^z]',
      '',
      'Two: "It has not closed its embassy in Kabul".[^z]',
      '',
    ].join('\n');
    const diagnostics = check(note);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range, d.message, d.data?.fix]),
      [
        ['locator-invalid', { start: { line: 0, character: 23 }, end: { line: 0, character: 27 } }, 'zochowski2021 has 13 paragraphs; ¶ 30 does not exist', undefined],
        [
          'quote-mismatch',
          { start: { line: 0, character: 42 }, end: { line: 0, character: 78 } },
          'Quotation differs from zochowski2021 ¶ 5: source has "Kabul", not "Kabull"',
          { title: 'Restore the source\'s wording: "Kabul"', range: { start: { line: 0, character: 72 }, end: { line: 0, character: 78 } }, newText: 'Kabul' },
        ],
      ],
    );
    assert.deepEqual(whole(note), diagnostics);
  });
});

describe('one code per verdict', () => {
  // One quotation of each verdict: the checks report each under the code verdictCode gives it, and no other.
  const notes: [verdict: string, note: string][] = [
    ['verbatim', 'Korybko: "it would be wise for the Kremlin to ask the Taliban" [@korybko2021, ¶ 2].\n'],
    ['convention', 'The wire copy: "demonstrating the dedication … to battle terrorism" [@anon2021].\n'],
    ['changed', 'Żochowski: "despite maintaining working contacts with the Taliban, Moscow has limited confidence in them" [@zochowski2021].\n'],
    ['other-source', 'He adds that Moscow "has limited confidence in them" [@suchkov2021].\n'],
    ['other-source-changed', 'The envoy "hinted Russia may recognise the Taliban as a governing drive" [@gul2021].\n'],
    ['not-found', 'The Foreign Ministry claimed it was "a purely internal matter" [@gul2021].\n'],
    ['found', 'A columnist wrote that "all obligations and all dangers have been left to us".\n'],
    ['unfound', 'A columnist wrote that "nothing of the kind was ever printed anywhere".\n'],
  ];
  for (const [verdict, note] of notes) {
    test(verdict, () => {
      const result = checkNote(bundledCorpus(), note);
      assert.deepEqual(
        result.judged.map((j) => j.judgement.verdict),
        [verdict],
      );
      const code = verdictCode(result.judged[0].judgement).code;
      const quotationCodes = codes(result.diagnostics).filter((c) => c.startsWith('quote-'));
      assert.deepEqual(quotationCodes, code === 'verified' ? [] : [code]);
    });
  }
});
