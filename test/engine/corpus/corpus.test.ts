import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCorpus } from '../../../server/src/engine/corpus/corpus.js';
import { plainTextParagraphs } from '../../../server/src/engine/corpus/paragraphs.js';
import { bundledCorpus, check, codes, corpusDir, root, sharedDir, sharedSkip } from '../../helpers.js';

interface SeedSum {
  sha256: string;
  seed: string;
  file: string;
}

/** `test/seeds.sha256`: the checksum of each published article, its seed name, and its corpus file. */
function seedSums(): SeedSum[] {
  return readFileSync(join(root, 'test', 'seeds.sha256'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [sha256, seed, file] = line.trim().split(/\s+/u);
      return { sha256, seed, file };
    });
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the bundled corpus', () => {
  test('holds the five published articles byte for byte, under their keys', () => {
    const sums = seedSums();
    assert.deepEqual(sums.map((s) => s.file).sort(), ['anon2021.txt', 'gul2021.txt', 'korybko2021.txt', 'suchkov2021.txt', 'zochowski2021.txt']);
    for (const { sha256: expected, file } of sums) assert.equal(sha256(join(corpusDir, file)), expected, `${file} is byte-identical to its article`);
    assert.deepEqual([...bundledCorpus().byKey.keys()].sort(), sums.map((s) => s.file.replace(/\.txt$/u, '')).sort());
    assert.deepEqual(bundledCorpus().problems, []);
  });

  test('the checksums are those of the seeds themselves', { skip: sharedSkip }, () => {
    const seedsDir = join(sharedDir, 'seeds');
    assert.deepEqual(readdirSync(seedsDir).sort(), seedSums().map((s) => s.seed).sort());
    for (const { sha256: expected, seed } of seedSums()) assert.equal(sha256(join(seedsDir, seed)), expected, seed);
  });

  test('metadata comes from the CSL-JSON bibliography', () => {
    const korybko = bundledCorpus().byKey.get('korybko2021')?.metadata;
    assert.equal(korybko?.title, 'Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan');
    assert.deepEqual(korybko?.authors, ['Andrew Korybko']);
    assert.deepEqual(bundledCorpus().byKey.get('anon2021')?.metadata?.authors, []);
    assert.equal(bundledCorpus().byKey.get('gul2021')?.metadata?.date, '2021-07-10');
  });

  test('paragraph counts follow the numbering rule', () => {
    const counts = Object.fromEntries(bundledCorpus().sources.map((s) => [s.key, s.paragraphs.length]));
    assert.deepEqual(counts, { anon2021: 19, gul2021: 23, korybko2021: 15, suchkov2021: 17, zochowski2021: 13 });
    // gul2021 has a line holding only a no-break space: blank, not a paragraph.
    const gul = bundledCorpus().byKey.get('gul2021');
    assert.ok(gul?.text.split('\n').some((line) => line === '\u00a0'));
    assert.ok(gul?.paragraphs.every((p) => /\S/.test(p.text) && p.text !== '\u00a0'));
  });
});

describe('paragraphs of a plain-text source', () => {
  test('every non-blank line is a paragraph, numbered from 1, title first', () => {
    const paragraphs = plainTextParagraphs('Title\n\nFirst.\n   \nSecond.\r\nThird.\rFourth.');
    assert.deepEqual(paragraphs.map((p) => [p.number, p.text]), [[1, 'Title'], [2, 'First.'], [3, 'Second.'], [4, 'Third.'], [5, 'Fourth.']]);
    const text = 'Title\n\nFirst.\n   \nSecond.\r\nThird.\rFourth.';
    for (const p of paragraphs) assert.equal(text.slice(p.start, p.end), p.text);
  });

  test('a locator counts paragraphs as the rule says', () => {
    assert.deepEqual(check('"Why Does Russia See No Problem with Taliban Victories" [@gul2021, ¶ 1]\n'), []);
    assert.deepEqual(codes(check('"Taliban militia has gone into celebration frenzy" [@gul2021, ¶ 4]\n')), ['locator-mismatch']);
    assert.deepEqual(check('"Taliban militia has gone into celebration frenzy" [@gul2021, ¶ 5]\n'), []);
  });
});

describe('adding sources', () => {
  test('a markdown source: each block is a paragraph', () => {
    const corpus = buildCorpus(
      [{ path: '/c/brief.md', text: '# A brief\n\nFirst paragraph, *with* emphasis.\n\n- A list item.\n- Another item.\n\n> A quoted paragraph.\n' }],
      [],
    );
    const source = corpus.byKey.get('brief');
    assert.deepEqual(source?.paragraphs.map((p) => p.text), ['A brief', 'First paragraph, with emphasis.', 'A list item.', 'Another item.', 'A quoted paragraph.']);
    assert.deepEqual(check('"First paragraph, with emphasis" [@brief, ¶ 2]\n', corpus), []);
    assert.deepEqual(codes(check('"Another item" [@brief, ¶ 3]\n', corpus)), ['locator-mismatch']);
  });

  test('a source with no bibliography entry works under its file-name key', () => {
    const corpus = buildCorpus([{ path: '/c/notes-2024.txt', text: 'Heading\nThe committee met twice in May.\n' }], []);
    assert.equal(corpus.byKey.get('notes-2024')?.metadata, undefined);
    assert.deepEqual(check('"The committee met twice in May" [@notes-2024, ¶ 2]\n', corpus), []);
  });

  test('bibliography problems are reported with their file and line, never dropped', () => {
    const corpus = buildCorpus(
      [{ path: '/c/a.txt', text: 'Alpha beta gamma delta.\n' }],
      [
        { path: '/c/refs.json', text: '[\n  {"id": "a", "title": "A"},\n  {"id": "a", "title": "Again"},\n  {"id": "ghost"}\n]\n' },
        { path: '/c/broken.json', text: '[\n  {"id": "b",\n' },
      ],
    );
    const messages = corpus.problems.map((p) => `${p.path}:${p.range ? p.range.start.line + 1 : '-'} ${p.message}`);
    assert.ok(messages.some((m) => m.startsWith('/c/refs.json:3 Duplicate bibliography id "a"')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('/c/refs.json') && m.includes('"ghost" has no source text')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('/c/broken.json') && m.includes('not valid JSON')), messages.join('\n'));
    assert.equal(corpus.byKey.get('a')?.metadata?.title, 'A');
  });
});

describe('markdown sources and problem reports', () => {
  test('a code span in a markdown source is part of its wording, and messages carry no markup', () => {
    const corpus = buildCorpus([{ path: '/c/guide.md', text: '# Guide\n\nRun the `check` command before you publish anything.\n\n- A list item follows.\n' }], []);
    assert.deepEqual(check('"Run the check command before you publish anything" [@guide, ¶ 2]\n', corpus), []);
    const [d] = check('"Run the check command before you print anything" [@guide, ¶ 2]\n', corpus);
    assert.equal(d.message, 'Quotation differs from guide ¶ 2: source has "publish", not "print"');
  });

  test('an empty source and an entry without text are reported where they are', () => {
    const corpus = buildCorpus(
      [{ path: '/c/empty.txt', text: '\n \n' }],
      [{ path: '/c/refs.json', text: '[\n  {"id": "empty"},\n\n  {"id": "ghost2024", "title": "Ghost"}\n]\n' }],
    );
    const empty = corpus.problems.find((p) => p.path === '/c/empty.txt');
    assert.equal(empty?.message, 'Source has no text: it has no paragraphs to quote');
    const ghost = corpus.problems.find((p) => p.message.includes('ghost2024'));
    assert.equal(ghost?.range?.start.line, 3);
  });
});
