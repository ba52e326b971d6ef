import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkNote } from '../../../server/src/engine/check.js';
import { loadTextCorpus } from '../../../server/src/engine/corpus/load.js';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { findQuotedSpans } from '../../../server/src/engine/note/quotes.js';
import { applyEdit, bundledCorpus, check, codes, fixturesDir } from '../../helpers.js';

/** The words of each quotation the note reader found, and the citation each is attached to, as written. */
function quotations(note: string): { words: string; citation?: string }[] {
  const analysis = checkNote(bundledCorpus(), note).analysis;
  assert.ok(analysis);
  return analysis.quotations.map((q) => ({
    words: note.slice(q.span.start, q.span.end),
    ...(q.citation ? { citation: note.slice(q.citation.start, q.citation.end) } : {}),
  }));
}

const words = (note: string): string[] => quotations(note).map((q) => q.words);

// korybko2021 ¶ 4 writes: Russia seemingly still regards the Taliban as “reasonable” according to Foreign Minister Lavrov’s earlier words
const SOURCE = ['Russia seemingly still regards the Taliban as ', 'reasonable', ' according to Foreign Minister Lavrov’s earlier words'];

/** Quotation styles (after CLDR's per-locale delimiters): outer open, outer close, inner open, inner close. */
const STYLES: [string, string, string, string, string][] = [
  ['German', '„', '“', '‚', '‘'],
  ['French', '« ', ' »', '‹ ', ' ›'],
  ['French, no-break spaces', '«\u00a0', '\u00a0»', '‹\u00a0', '\u00a0›'],
  ['Swiss, thin no-break spaces', '«\u202f', '\u202f»', '‹\u202f', '\u202f›'],
  ['Swiss German', '«', '»', '‹', '›'],
  ['Danish', '»', '«', '›', '‹'],
  ['Swedish', '”', '”', '’', '’'],
  ['Polish', '„', '”', '«', '»'],
  ['Hungarian', '„', '”', '»', '«'],
  ['Russian', '«', '»', '„', '“'],
  ['Japanese', '「', '」', '『', '』'],
  ['English', '“', '”', '‘', '’'],
];

function styled([, open, close, innerOpen, innerClose]: readonly string[], words: readonly string[], locator = '¶ 4'): string {
  return `Korybko: ${open}${words[0]}${innerOpen}${words[1]}${innerClose}${words[2]}${close} [@korybko2021, ${locator}].\n`;
}

describe('quotation marks of every major language', () => {
  for (const style of STYLES) {
    test(`${style[0]}: ${style[1].trim()}…${style[2].trim()} with ${style[3].trim()}…${style[4].trim()} inside`, () => {
      const note = styled(style, SOURCE);
      assert.deepEqual(words(note), [`${SOURCE[0]}${style[3]}${SOURCE[1]}${style[4]}${SOURCE[2]}`], 'one quotation, the marks and the spaces beside them left out');
      assert.deepEqual(check(note), [], 'the nested marks match the source’s “…”');
      const changed = styled(style, [SOURCE[0].replace('regards', 'considers'), SOURCE[1], SOURCE[2]]);
      assert.deepEqual(codes(check(changed)), ['quote-mismatch'], 'a changed word inside is a mismatch');
      assert.deepEqual(codes(check(styled(style, SOURCE, '¶ 2'))), ['locator-mismatch']);
    });
  }

  test('»…« and «…» in one paragraph are each decided by balance', () => {
    const note = 'Ein »erster Satz hier« und ein «zweiter Satz dort» und »noch «einer» hier«.\n';
    assert.deepEqual(words(note), ['erster Satz hier', 'zweiter Satz dort', 'noch «einer» hier']);
  });

  test('Chinese written with straight or curly marks right after a character', () => {
    assert.deepEqual(words('他说"这是好的"，又说‘那也好’。\n'), ['这是好的', '那也好']);
  });

  test('half-width corner brackets and CJK double primes', () => {
    assert.deepEqual(words('他说｢这是好的｣，又说〝那也好〟。\n'), ['这是好的', '那也好']);
  });

  test('a sentence ends at the full stop before a spaced closing guillemet', () => {
    // In the same sentence, a narrative citation after the quotation would be its own; in the next, it is not.
    const note = '@korybko2021 notes: « it would be wise for the Kremlin to ask the Taliban. » @gul2021 reports more.\n';
    assert.deepEqual(quotations(note), [{ words: 'it would be wise for the Kremlin to ask the Taliban.', citation: '@korybko2021' }]);
  });

  test('a blockquote opening with a guillemet and a speaker tag quotes what stands between the marks', () => {
    const note = '> « it would be wise for the Kremlin to ask the Taliban », écrit Korybko [@korybko2021, ¶ 2].\n';
    assert.deepEqual(words(note), ['it would be wise for the Kremlin to ask the Taliban']);
    assert.deepEqual(check(note), []);
  });
});

describe('what is not a quotation', () => {
  const none: [string, string][] = [
    ['inch marks after digits', 'I have a 75" screen and a 10" tablet [@korybko2021].\n'],
    ['feet and inches', 'He is 5\' 10" tall and 6\'2" with shoes [@korybko2021].\n'],
    ['primes', 'The angle is 5′ 10″ and the point x″ is set [@korybko2021].\n'],
    ['ditto marks', 'Apples from Kabul\n\nPears " " " and plums " " here [@korybko2021].\n'],
    ['apostrophes', "In the '90s rock 'n' roll was loud, rock ‘n’ roll in the ’90s and the bands’ songs [@korybko2021].\n"],
    ['an elided year typed with an opening mark', 'In the ‘90s it was loud. Later the bands’ songs were quiet [@korybko2021].\n'],
    ['TeX math', 'The function $f\'\'(x) = "a b c d"$ and $$g = "e f g h"$$ hold [@korybko2021].\n'],
    ['Pandoc attributes', 'A [span of words]{title="it would be wise for" .note} and a ![picture](a.png){alt="the Kremlin to ask"} here [@korybko2021].\n'],
    ['a URL', 'See https://example.com/?q="it+would+be+wise" and <https://example.com/"a-b-c"> [@korybko2021].\n'],
    ['code', 'Type `"it would be wise for the Kremlin"` here [@korybko2021].\n'],
    ['HTML attributes', 'A <abbr title="it would be wise for the Kremlin">note</abbr> here [@korybko2021].\n'],
    ['heading attributes', '# Korybko on Russia {#korybko title="it would be wise for the Kremlin"}\n'],
    ['a stray mark across sentences', 'He wrote "it was done and over. The 10" tablet is new [@korybko2021].\n'],
  ];
  for (const [name, note] of none) {
    test(name, () => {
      assert.deepEqual(words(note), []);
      assert.ok(!codes(check(note)).some((c) => c.startsWith('quote-')), 'no quotation diagnostic');
    });
  }

  test('an inch mark beside a real quotation leaves the quotation alone', () => {
    const note = 'On a 75" screen Korybko says "it would be wise for the Kremlin to ask the Taliban" [@korybko2021, ¶ 2].\n';
    assert.deepEqual(words(note), ['it would be wise for the Kremlin to ask the Taliban']);
    assert.deepEqual(check(note), []);
  });

  test('a quotation ending in a number is still closed by a mark after a digit', () => {
    assert.deepEqual(words('The "years after 2003" were calm [@korybko2021].\n'), ['years after 2003']);
  });
});

describe('tables', () => {
  const table = [
    '| Quotation | Source |',
    '|---|---|',
    '| "it would be wise for the Kremlin to ask the Taliban" | [@korybko2021, ¶ 2] |',
    '| "under the Taliban’s protection since 16 August" | [@zochowski2021, ¶ 5] |',
    '',
  ].join('\n');

  test('a quotation takes the citation in another cell of its row', () => {
    assert.deepEqual(quotations(table), [
      { words: 'it would be wise for the Kremlin to ask the Taliban', citation: '[@korybko2021, ¶ 2]' },
      { words: 'under the Taliban’s protection since 16 August', citation: '[@zochowski2021, ¶ 5]' },
    ]);
    assert.deepEqual(check(table), []);
  });

  test('a changed word in a row is that row’s mismatch', () => {
    const note = table.replace('since 16 August', 'since 17 August');
    assert.deepEqual(codes(check(note)), ['quote-mismatch']);
  });

  test('the citation may stand before the quotation in its row', () => {
    const note = '| Source | Quotation |\n|---|---|\n| [@korybko2021, ¶ 2] | "it would be wise for the Kremlin to ask the Taliban" |\n';
    assert.deepEqual(check(note), []);
  });

  test('each row is its own unit: a row without a citation does not borrow another row’s', () => {
    const note = table.replace(' [@zochowski2021, ¶ 5] ', ' ');
    assert.deepEqual(quotations(note)[1], { words: 'under the Taliban’s protection since 16 August' });
    assert.deepEqual(codes(check(note)), ['quote-uncited']);
  });

  test('a footnote reference in the source column is the row’s citation', () => {
    const note = '| Quotation | Source |\n|---|---|\n| "it would be wise for the Kremlin to ask the Taliban" | [^k] |\n\n[^k]: [@korybko2021, ¶ 2].\n';
    assert.deepEqual(quotations(note)[0].citation, '[^k]');
    assert.deepEqual(check(note), []);
  });

  test('the row’s citation is the one the note lists', () => {
    const analysis = checkNote(bundledCorpus(), table).analysis;
    assert.ok(analysis);
    for (const q of analysis.quotations) assert.ok(q.citation && analysis.citations.includes(q.citation));
  });

  test('a citation in the quotation’s own cell comes first', () => {
    const note = '| Quotation | Source |\n|---|---|\n| "it would be wise for the Kremlin to ask the Taliban" [@korybko2021, ¶ 2] | [@zochowski2021] |\n';
    assert.deepEqual(quotations(note)[0].citation, '[@korybko2021, ¶ 2]');
  });
});

describe('a paragraph locator must cover the quotation', () => {
  // suchkov2021 ¶ 1 ends “… for support and defense.”; ¶ 2 begins “Russia is indeed a key stakeholder”.
  const across = (locator: string): string =>
    `"Many regional governments are looking to Moscow for support and defense. … Russia is indeed a key stakeholder" [@suchkov2021, ${locator}].\n`;

  test('a range naming every paragraph is right', () => {
    assert.deepEqual(check(across('¶¶ 1–2')), []);
    assert.deepEqual(check(across('paras. 1-3')), []);
  });

  for (const [locator, wrote] of [
    ['¶ 1', '¶ 1'],
    ['¶ 2', '¶ 2'],
    ['paras. 2–3', 'paras. 2–3'],
  ]) {
    test(`${locator} for words in ¶¶ 1–2 is locator-mismatch, fixed to ¶¶ 1–2`, () => {
      const note = across(locator);
      const diagnostics = check(note);
      assert.deepEqual(codes(diagnostics), ['locator-mismatch']);
      assert.match(diagnostics[0].message, new RegExp(`suchkov2021 ¶¶ 1–2, not ${wrote}`, 'u'));
      const fix = diagnostics[0].data?.fix;
      assert.ok(fix);
      assert.equal(fix.newText, '¶¶ 1–2');
      const fixed = applyEdit(note, fix.range, fix.newText);
      assert.equal(fixed, across('¶¶ 1–2'));
      assert.deepEqual(check(fixed), []);
    });
  }
});

describe('other scripts: a Russian and a Chinese source (test/fixtures/languages)', () => {
  let corpus: Corpus | undefined;
  const languages = (): Corpus => (corpus ??= loadTextCorpus(join(fixturesDir, 'languages')));
  const checked = (note: string): [string, string, string | undefined][] =>
    check(note, languages()).map((d) => [d.code, d.message, d.data?.fix?.newText]);

  test('the sources load without problems', () => {
    assert.deepEqual(languages().problems, []);
    assert.deepEqual([...languages().byKey.keys()].sort(), ['haddad2023', 'ivanov2023', 'kim2023', 'somchai2023', 'wang2023']);
  });

  test('Russian: verbatim, with the first letter’s case changed and nested marks', () => {
    assert.deepEqual(checked('Он пишет: «Городской совет каждый год обещает отремонтировать набережную» [@ivanov2023, ¶ 4].\n'), []);
    assert.deepEqual(checked('Он пишет, что «городской совет каждый год обещает отремонтировать набережную» [@ivanov2023, ¶ 4].\n'), []);
    assert.deepEqual(checked('«Вода в 1994 году дошла до „третьей ступеньки“ нашего подъезда» [@ivanov2023, ¶ 5].\n'), []);
  });

  test('Russian: a changed word, named in the message and the fix', () => {
    assert.deepEqual(checked('«Городской совет каждый год обещает починить набережную» [@ivanov2023, ¶ 4].\n'), [
      ['quote-mismatch', 'Quotation differs from ivanov2023 ¶ 4: source has "отремонтировать", not "починить"', 'отремонтировать'],
    ]);
    assert.deepEqual(codes(check('«Вода в 1995 году дошла до „третьей ступеньки“ нашего подъезда» [@ivanov2023, ¶ 5].\n', languages())), ['quote-mismatch']);
  });

  test('Russian: the wrong source, and the wrong paragraph', () => {
    assert.deepEqual(checked('«Городской совет каждый год обещает отремонтировать набережную» [@wang2023, ¶ 4].\n'), [
      ['quote-wrong-source', 'Quotation is not in wang2023; it is in ivanov2023 ¶ 4', '@ivanov2023, ¶ 4'],
    ]);
    assert.deepEqual(checked('«Городской совет каждый год обещает отремонтировать набережную» [@ivanov2023, ¶ 2].\n'), [
      ['locator-mismatch', 'Quotation is in ivanov2023 ¶ 4, not ¶ 2', '4'],
    ]);
  });

  test('Greek: an accent is part of the word', () => {
    assert.deepEqual(checked('«Ὁ χρόνος δείκνυσι πάντα» [@ivanov2023, ¶ 6].\n'), []);
    assert.deepEqual(checked('«Ὁ χρόνος δείκνυσι παντα» [@ivanov2023, ¶ 6].\n'), [
      ['quote-mismatch', 'Quotation differs from ivanov2023 ¶ 6: source has "πάντα", not "παντα"', 'πάντα'],
    ]);
  });

  test('Chinese: a quotation is matched by characters, inside a longer run without spaces', () => {
    assert.deepEqual(checked('他写道：「市政府多次承诺修复旧桥」[@wang2023, ¶ 4]。\n'), []);
    assert.deepEqual(checked('“承诺修复旧桥”[@wang2023]。\n'), []);
    assert.deepEqual(checked('「我们在这里住了四十年，记得每一次洪水」[@wang2023, ¶ 5]。\n'), []);
    assert.deepEqual(checked('「店主说『慢慢吃，不要急』」[@wang2023, ¶ 6]。\n'), []);
  });

  test('Chinese: a changed character is reported as that character', () => {
    assert.deepEqual(checked('「市政府多次承诺修建旧桥」[@wang2023, ¶ 4]。\n'), [
      ['quote-mismatch', 'Quotation differs from wang2023 ¶ 4: source has "复", not "建"', '复'],
    ]);
  });

  test('Chinese: the wrong source, and the wrong paragraph', () => {
    assert.deepEqual(checked('「市政府多次承诺修复旧桥」[@ivanov2023]。\n'), [
      ['quote-wrong-source', 'Quotation is not in ivanov2023; it is in wang2023 ¶ 4', '@wang2023, ¶ 4'],
    ]);
    assert.deepEqual(checked('「市政府多次承诺修复旧桥」[@wang2023, ¶ 2]。\n'), [['locator-mismatch', 'Quotation is in wang2023 ¶ 4, not ¶ 2', '4']]);
  });
});

describe('Korean, Thai and Arabic sources (test/fixtures/languages)', () => {
  let corpus: Corpus | undefined;
  const languages = (): Corpus => (corpus ??= loadTextCorpus(join(fixturesDir, 'languages')));
  const checked = (note: string): [string, string, string | undefined][] =>
    check(note, languages()).map((d) => [d.code, d.message, d.data?.fix?.newText]);

  test('Korean: words between spaces, a particle right after the closing mark', () => {
    assert.deepEqual(words('그는 “시의회는 해마다 낡은 방파제를 고치겠다고 약속하지만”이라고 썼다.\n'), ['시의회는 해마다 낡은 방파제를 고치겠다고 약속하지만']);
    assert.deepEqual(checked('김 기자는 “시의회는 해마다 낡은 방파제를 고치겠다고 약속하지만”이라고 썼다 [@kim2023, ¶ 4].\n'), []);
    assert.deepEqual(checked('‘우리는 사십 년 동안 이 바다에서 살았고’ [@kim2023, ¶ 5].\n'), []);
  });

  test('Korean: a changed word, the wrong source, the wrong paragraph', () => {
    assert.deepEqual(checked('“시의회는 해마다 낡은 방파제를 수리하겠다고 약속하지만” [@kim2023, ¶ 4].\n'), [
      ['quote-mismatch', 'Quotation differs from kim2023 ¶ 4: source has "고치겠다고", not "수리하겠다고"', '고치겠다고'],
    ]);
    assert.deepEqual(checked('“시의회는 해마다 낡은 방파제를 고치겠다고 약속하지만” [@haddad2023, ¶ 4].\n'), [
      ['quote-wrong-source', 'Quotation is not in haddad2023; it is in kim2023 ¶ 4', '@kim2023, ¶ 4'],
    ]);
    assert.deepEqual(checked('“시의회는 해마다 낡은 방파제를 고치겠다고 약속하지만” [@kim2023, ¶ 3].\n'), [['locator-mismatch', 'Quotation is in kim2023 ¶ 4, not ¶ 3', '4']]);
  });

  test('Thai is written without spaces: a quotation matches by letters inside a longer run', () => {
    assert.deepEqual(checked('เขาเขียนว่า “สัญญาว่าจะซ่อมสะพานเก่า” [@somchai2023, ¶ 4]\n'), []);
    assert.deepEqual(checked('เขาเขียนว่า"เราอยู่ที่นี่มาสี่สิบปี" [@somchai2023, ¶ 5]\n'), []);
    assert.deepEqual(words('เขาเขียนว่า"เราอยู่ที่นี่มาสี่สิบปี"\n'), ['เราอยู่ที่นี่มาสี่สิบปี'], 'a mark right after a Thai letter opens');
  });

  test('Thai: a changed word is reported by the letters that differ; the wrong source and paragraph', () => {
    assert.deepEqual(checked('“สัญญาว่าจะสร้างสะพานเก่า” [@somchai2023, ¶ 4]\n').map(([code]) => code), ['quote-mismatch']);
    const [[, message]] = checked('“สัญญาว่าจะสร้างสะพานเก่า” [@somchai2023, ¶ 4]\n');
    assert.match(message, /^Quotation differs from somchai2023 ¶ 4: source has "ซ่อม", not "สร้าง"$/u);
    assert.deepEqual(checked('“สัญญาว่าจะซ่อมสะพานเก่า” [@kim2023]\n'), [['quote-wrong-source', 'Quotation is not in kim2023; it is in somchai2023 ¶ 4', '@somchai2023, ¶ 4']]);
    assert.deepEqual(checked('“สัญญาว่าจะซ่อมสะพานเก่า” [@somchai2023, ¶ 2]\n'), [['locator-mismatch', 'Quotation is in somchai2023 ¶ 4, not ¶ 2', '4']]);
  });

  test('Arabic: ”…“ as written in right-to-left text, and «…»', () => {
    assert.deepEqual(words('كتب حداد: ”وعد المجلس البلدي مرارا بإصلاح الجسر القديم“ في مقاله.\n'), ['وعد المجلس البلدي مرارا بإصلاح الجسر القديم']);
    assert.deepEqual(checked('كتب حداد: ”وعد المجلس البلدي مرارا بإصلاح الجسر القديم“ [@haddad2023, ¶ 4].\n'), []);
    assert.deepEqual(checked('قال أحد السكان: «نحن نعيش هنا منذ أربعين عاما» [@haddad2023, ¶ 5].\n'), []);
  });

  test('Arabic: a changed word, the wrong source, the wrong paragraph', () => {
    assert.deepEqual(checked('”وعد المجلس البلدي مرارا بترميم الجسر القديم“ [@haddad2023, ¶ 4].\n'), [
      ['quote-mismatch', 'Quotation differs from haddad2023 ¶ 4: source has "بإصلاح", not "بترميم"', 'بإصلاح'],
    ]);
    assert.deepEqual(checked('«نحن نعيش هنا منذ أربعين عاما» [@kim2023, ¶ 5].\n'), [
      ['quote-wrong-source', 'Quotation is not in kim2023; it is in haddad2023 ¶ 5', '@haddad2023, ¶ 5'],
    ]);
    assert.deepEqual(checked('«نحن نعيش هنا منذ أربعين عاما» [@haddad2023, ¶ 3].\n'), [['locator-mismatch', 'Quotation is in haddad2023 ¶ 5, not ¶ 3', '5']]);
  });
});

/** Each quotation findQuotedSpans reads in `text`: its marks and the words between them. */
function spans(text: string): { marks: string; inner: string }[] {
  return findQuotedSpans(text).map((q) => ({ marks: text[q.open] + text[q.close], inner: text.slice(q.inner.start, q.inner.end) }));
}

describe('findQuotedSpans', () => {
  test('a pair of marks and the words between them, the spaces inside French marks left out', () => {
    assert.deepEqual(spans('He said “no deal” twice.'), [{ marks: '“”', inner: 'no deal' }]);
    assert.deepEqual(spans('Il a dit « pas d’accord » hier.'), [{ marks: '«»', inner: 'pas d’accord' }]);
  });

  test('only the outermost pair is a quotation: a nested one is part of it', () => {
    assert.deepEqual(spans('“Russia regards them as ‘reasonable’ still” he wrote.'), [{ marks: '“”', inner: 'Russia regards them as ‘reasonable’ still' }]);
  });

  test('a straight mark is closed by a straight or a curly one', () => {
    assert.deepEqual(spans('"one" and "two”'), [
      { marks: '""', inner: 'one' },
      { marks: '"”', inner: 'two' },
    ]);
  });

  test('inch marks, apostrophes and an elided year open nothing', () => {
    assert.deepEqual(spans('a 75" screen and 5\' 10"'), []);
    assert.deepEqual(spans('the group’s ‘90s offensive'), []);
  });

  test('a quotation left open is no quotation', () => {
    assert.deepEqual(spans('He said “no deal and left.'), []);
  });

  test('an inch mark does not close a quotation begun in an earlier sentence', () => {
    assert.deepEqual(spans('He said "the deal. It was a 10" screen.'), []);
  });
});
