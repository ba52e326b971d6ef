import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkNote, NoteChecker } from '../server/src/engine/check.js';
import { splitUnits } from '../server/src/engine/units.js';
import { bundledCorpus, fixturesDir, root, sharedDir, sharedSkip } from './helpers.js';

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

  test('after an edit, the cached check equals a fresh one', () => {
    const checker = new NoteChecker(bundledCorpus());
    const text = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
    checker.check(text);
    const edited = text.replace('kilometres', 'kilometers').replace('Kabul like', 'Kabul rather like');
    assert.deepEqual(checker.check(edited).diagnostics, checkNote(bundledCorpus(), edited).diagnostics);
    assert.deepEqual(checker.check(edited).analysis.quotations.map((q) => q.span), checkNote(bundledCorpus(), edited, { wholeNote: true }).analysis.quotations.map((q) => q.span));
  });
});
