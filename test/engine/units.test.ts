import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkNote, NoteChecker } from '../../server/src/engine/check.js';
import { splitUnits } from '../../server/src/engine/units.js';
import { bundledCorpus, fixturesDir, root, sharedDir, sharedSkip } from '../helpers.js';

const texts = (text: string): string[] => splitUnits(text).map((u) => text.slice(u.start, u.end));

describe('units', () => {
  test('blank lines separate units; indented continuations, fences and front matter stay whole', () => {
    const note = ['---', 'title: x', '', 'more: y', '---', 'First para', 'line two', '', '- item', '', '  continued item', '', '```', 'code', '', 'more code', '```', '', 'Last'].join('\n');
    assert.deepEqual(texts(note), [
      '---\ntitle: x\n\nmore: y\n---\nFirst para\nline two',
      '- item\n\n  continued item',
      '```\ncode\n\nmore code\n```',
      'Last',
    ]);
  });

  test('a blockquote keeps its attribution line; a unit that refers to a footnote carries its definition', () => {
    const note = '> quoted words here\n\n-- [@korybko2021, ¶ 6]\n\nSee "x y z".[^a]\n\n[^a]: [@gul2021]\n';
    const units = splitUnits(note);
    assert.deepEqual(texts(note), ['> quoted words here\n\n-- [@korybko2021, ¶ 6]', 'See "x y z".[^a]']);
    assert.equal(units[0].context, '');
    assert.equal(units[1].context, '\n\n[^a]: [@gul2021]');
  });

  test('a unit carries only the footnote definitions it refers to; a definition belongs to the first unit that refers to it', () => {
    const note = [
      'One "x y z".[^a]',
      '',
      'Two "u v w".[^b] and [^C].',
      '',
      'Three, none.',
      '',
      'Four, [^a] again.',
      '',
      '[^a]: [@gul2021, ¶ 2].',
      '[^b]: [@anon2021].',
      '[^c]: See @korybko2021 [¶ 3].',
      '    More of c.',
      '[^d]: [@gul2021].',
      '',
    ].join('\n');
    const units = splitUnits(note);
    // [^d] is referred to by nothing: a unit of its own.
    assert.deepEqual(texts(note), ['One "x y z".[^a]', 'Two "u v w".[^b] and [^C].', 'Three, none.', 'Four, [^a] again.', '[^d]: [@gul2021].']);
    assert.deepEqual(
      units.map((u) => u.context),
      ['\n\n[^a]: [@gul2021, ¶ 2].', '\n\n[^b]: [@anon2021].\n\n[^c]: See @korybko2021 [¶ 3].\n    More of c.', '', '\n\n[^a]: [@gul2021, ¶ 2].', ''],
    );
    assert.deepEqual(
      units.map((u) => u.appended.map((a) => a.owned)),
      [[true], [true, true], [], [false], []],
    );
    // Where each appended definition lies in the checked text (the unit, then its context) and stands in the note.
    const two = 'Two "u v w".[^b] and [^C].';
    const b = '[^b]: [@anon2021].';
    const c = '[^c]: See @korybko2021 [¶ 3].\n    More of c.';
    assert.deepEqual(units[1].appended, [
      { start: note.indexOf(b), line: 9, character: 0, at: two.length + 2, endAt: two.length + 2 + b.length, atLine: 2, lastAtLine: 2, owned: true },
      { start: note.indexOf(c), line: 10, character: 0, at: two.length + 4 + b.length, endAt: two.length + 4 + b.length + c.length, atLine: 4, lastAtLine: 5, owned: true },
    ]);
  });

  test('editing one footnote definition leaves the checked text of units that do not refer to it as it was', () => {
    const note = 'One "x y z".[^a]\n\nTwo "u v w".[^b]\n\n[^a]: [@gul2021, ¶ 2].\n[^b]: [@anon2021].\n';
    const edited = note.replace('[@anon2021]', '[@anon2021, ¶ 4]');
    const checkedText = (text: string): string[] => splitUnits(text).map((u) => text.slice(u.start, u.end) + u.context);
    const [before, after] = [checkedText(note), checkedText(edited)];
    assert.equal(after.length, 2);
    assert.equal(after[0], before[0], 'the unit citing [^a] is unchanged');
    assert.notEqual(after[1], before[1], 'the unit citing [^b] is checked again');
  });

  test('an edit to a footnote definition re-reads only that definition and the units that refer to it', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Point ${i}: "has limited confidence in them".[^n${i}]`);
    const definitions = Array.from({ length: 40 }, (_, i) => `[^n${i}]: [@zochowski2021, ¶ 13].`);
    const note = `${paragraphs.join('\n\n')}\n\n${definitions.join('\n')}\n`;
    const checker = new NoteChecker(bundledCorpus());
    const first = checker.check(note);
    assert.deepEqual(first.diagnostics, []);
    // A first check reads each paragraph once, with the one definition it cites; each definition is read once.
    const read = paragraphs.reduce((sum, p, i) => sum + p.length + 2 + definitions[i].length, 0);
    assert.equal(checker.parsedCharacters, read);
    const changedDefinition = '[^n7]: [@zochowski2021, ¶ 3].';
    const second = checker.check(note.replace(definitions[7], changedDefinition));
    assert.deepEqual(second.diagnostics.map((d) => [d.code, d.range.start.line]), [['locator-mismatch', 14]]);
    assert.equal(checker.parsedCharacters - read, paragraphs[7].length + 2 + changedDefinition.length);
  });

  test('CRLF notes split the same way, with exact offsets', () => {
    const note = 'One\r\n\r\nTwo\r\nlines\r\n';
    assert.deepEqual(texts(note), ['One', 'Two\r\nlines']);
    assert.deepEqual(splitUnits(note).map((u) => u.line), [0, 2]);
  });
});

describe('checking unit by unit equals checking the whole note', () => {
  const notes = [
    ...readdirSync(fixturesDir).filter((f) => f.endsWith('.md')).map((f) => join(fixturesDir, f)),
    join(root, 'examples', 'russia-and-the-taliban.md'),
    join(sharedDir, 'acceptance', 'notes', 'sample-analysis.md'),
  ];
  for (const path of notes) {
    test(relative(root, path), { skip: path.startsWith(sharedDir) && sharedSkip }, () => {
      const text = readFileSync(path, 'utf8');
      const whole = checkNote(bundledCorpus(), text, { wholeNote: true }).diagnostics;
      const unitWise = checkNote(bundledCorpus(), text).diagnostics;
      assert.deepEqual(unitWise, whole);
    });
  }

  test('footnote definitions however they are written: escaped, in a blockquote or list, after a comment, duplicated, behind a look-alike in code', () => {
    const quoted = 'Moscow "has limited confidence in them".';
    const notes = [
      `${quoted}[^a\\]b]\n\n[^a\\]b]: [@zochowski2021, ¶ 3].\n`,
      `${quoted}[^bq]\n\n> [^bq]: [@zochowski2021, ¶ 3].\n`,
      `${quoted}[^li]\n\n- [^li]: [@zochowski2021, ¶ 3].\n`,
      `In 2021 "has limited confidence in them".[^n]: so it went.\n\n[^n]: [@zochowski2021, ¶ 3].\n`,
      `${quoted}[^c]\n\n<!-- a comment -->\n[^c]: [@zochowski2021, ¶ 3].\n`,
      `${quoted}[^k]\n\n\`\`\`\n[^k]: [@gul2021].\n\`\`\`\n\n[^k]: [@zochowski2021, ¶ 3].\n`,
      `${quoted}[^d]\n\n[^d]: [@zochowski2021, ¶ 3].\n\n[^d]: [@zochowski2021, ¶ 13].\n`,
      `${quoted}[^ABC]\n\n[^abc]: [@zochowski2021, ¶ 3].\n`,
      `${quoted}[^i]\n[^i]: [@zochowski2021, ¶ 3].\n`,
    ];
    for (const note of notes) {
      const unitWise = checkNote(bundledCorpus(), note).diagnostics;
      assert.deepEqual(unitWise, checkNote(bundledCorpus(), note, { wholeNote: true }).diagnostics, note);
      // The reference was read as one: the footnote's wrong paragraph is reported on it.
      assert.ok(unitWise.some((d) => d.code === 'locator-mismatch' && d.range.start.line === 0), note);
    }
  });

  test('after an edit, the cached check equals a fresh one', () => {
    const checker = new NoteChecker(bundledCorpus());
    const text = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
    checker.check(text);
    const edited = text.replace('kilometres', 'kilometers').replace('Kabul like', 'Kabul rather like');
    assert.deepEqual(checker.check(edited).diagnostics, checkNote(bundledCorpus(), edited).diagnostics);
    assert.deepEqual(checker.check(edited).analysis.quotations.map((q) => q.span), checkNote(bundledCorpus(), edited, { wholeNote: true }).analysis.quotations.map((q) => q.span));
  });
});
