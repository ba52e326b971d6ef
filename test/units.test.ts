import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNote, NoteChecker } from '../server/src/engine/check.js';
import { splitUnits } from '../server/src/engine/units.js';
import { bundledCorpus, fixturesDir, root } from './helpers.js';

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

  test('a blockquote keeps its attribution line; footnote references carry the definitions', () => {
    const note = '> quoted words here\n\n-- [@korybko2021, ¶ 6]\n\nSee "x y z".[^a]\n\n[^a]: [@gul2021]\n';
    const units = splitUnits(note);
    assert.deepEqual(texts(note), ['> quoted words here\n\n-- [@korybko2021, ¶ 6]', 'See "x y z".[^a]', '[^a]: [@gul2021]']);
    assert.equal(units[1].context, '\n\n[^a]: [@gul2021]');
    assert.equal(units[2].context, '');
  });

  test('a unit is checked with only the footnote definitions it refers to; each definition is a unit of its own', () => {
    const note = 'One "x y z".[^a]\n\nTwo "u v w".[^b] and [^C].\n\nThree, none.\n\n[^a]: [@gul2021, ¶ 2].\n[^b]: [@anon2021].\n[^c]: See @korybko2021 [¶ 3].\n    More of c.\n';
    const units = splitUnits(note);
    assert.deepEqual(texts(note), ['One "x y z".[^a]', 'Two "u v w".[^b] and [^C].', 'Three, none.', '[^a]: [@gul2021, ¶ 2].', '[^b]: [@anon2021].', '[^c]: See @korybko2021 [¶ 3].\n    More of c.']);
    assert.deepEqual(
      units.map((u) => u.context),
      ['\n\n[^a]: [@gul2021, ¶ 2].', '\n\n[^b]: [@anon2021].\n\n[^c]: See @korybko2021 [¶ 3].\n    More of c.', '', '', '', ''],
    );
    // Where each appended definition starts in the checked text (the unit, then its context) and in the note.
    assert.deepEqual(units[1].appended, [
      { start: note.indexOf('[^b]:'), line: 7, character: 0, at: 'Two "u v w".[^b] and [^C].'.length + 2, atLine: 2 },
      { start: note.indexOf('[^c]:'), line: 8, character: 0, at: 'Two "u v w".[^b] and [^C].\n\n[^b]: [@anon2021].'.length + 2, atLine: 4 },
    ]);
  });

  test('editing one footnote definition leaves the checked text of units that do not refer to it as it was', () => {
    const note = 'One "x y z".[^a]\n\nTwo "u v w".[^b]\n\n[^a]: [@gul2021, ¶ 2].\n[^b]: [@anon2021].\n';
    const edited = note.replace('[@anon2021]', '[@anon2021, ¶ 4]');
    const checkedText = (text: string): string[] => splitUnits(text).map((u) => text.slice(u.start, u.end) + u.context);
    const [before, after] = [checkedText(note), checkedText(edited)];
    assert.equal(after[0], before[0], 'the unit citing [^a] is unchanged');
    assert.notEqual(after[1], before[1], 'the unit citing [^b] is checked again');
    assert.equal(after[2], before[2], 'the definition of [^a] is unchanged');
  });

  test('an edit to a footnote definition re-reads only that definition and the units that refer to it', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Point ${i}: "has limited confidence in them".[^n${i}]`);
    const definitions = Array.from({ length: 40 }, (_, i) => `[^n${i}]: [@zochowski2021, ¶ 13].`);
    const note = `${paragraphs.join('\n\n')}\n\n${definitions.join('\n')}\n`;
    const checker = new NoteChecker(bundledCorpus());
    const first = checker.check(note);
    assert.deepEqual(first.diagnostics, []);
    // A first check reads each unit once, each with the one definition it cites.
    const read = paragraphs.reduce((sum, p, i) => sum + p.length + 2 + definitions[i].length, 0) + definitions.reduce((sum, d) => sum + d.length, 0);
    assert.equal(checker.parsedCharacters, read);
    const edited = note.replace('[^n7]: [@zochowski2021, ¶ 13].', '[^n7]: [@zochowski2021, ¶ 3].');
    const second = checker.check(edited);
    assert.deepEqual(second.diagnostics.map((d) => d.code), ['locator-mismatch']);
    const changedDefinition = '[^n7]: [@zochowski2021, ¶ 3].';
    assert.equal(checker.parsedCharacters - read, changedDefinition.length + paragraphs[7].length + 2 + changedDefinition.length);
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
    join(root, '..', 'shared', 'acceptance', 'notes', 'sample-analysis.md'),
  ];
  for (const path of notes) {
    test(path.slice(root.length - 4), () => {
      const text = readFileSync(path, 'utf8');
      const whole = checkNote(bundledCorpus(), text, { wholeNote: true }).diagnostics;
      const unitWise = checkNote(bundledCorpus(), text).diagnostics;
      assert.deepEqual(unitWise, whole);
    });
  }

  test('after an edit, the cached check equals a fresh one', () => {
    const checker = new NoteChecker(bundledCorpus());
    const text = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
    checker.check(text);
    const edited = text.replace('kilometres', 'kilometers').replace('Kabul like', 'Kabul rather like');
    assert.deepEqual(checker.check(edited).diagnostics, checkNote(bundledCorpus(), edited).diagnostics);
    assert.deepEqual(checker.check(edited).analysis.quotations.map((q) => q.span), checkNote(bundledCorpus(), edited, { wholeNote: true }).analysis.quotations.map((q) => q.span));
  });
});
