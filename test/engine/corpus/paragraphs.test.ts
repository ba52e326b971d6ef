import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownParagraphs, plainTextLayout, plainTextParagraph, plainTextParagraphs, type ParagraphText } from '../../../server/src/engine/corpus/paragraphs.js';
import { realTexts } from '../../real-texts.js';
import { buildCorpus } from '../../../server/src/engine/corpus/corpus.js';
import { CorpusIndex, spansOfText } from '../../../server/src/engine/corpus/index.js';
import { corpusOf, loadCorpus, loadTextCorpus, openIndex, readCorpusFiles } from '../../../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../../../server/src/engine/match/judge.js';
import { bundledCorpus, corpusDir } from '../../helpers.js';

describe('paragraph numbering of plain-text sources', () => {
  const numbered = (paragraphs: readonly ParagraphText[]): [number, string][] => paragraphs.map((p) => [p.number, p.text]);

  test('every non-blank line is a paragraph, numbered from 1; the title line is ¶ 1', () => {
    assert.deepEqual(numbered(plainTextParagraphs('Title\n\nFirst.\nSecond.\n\n\nThird.\n')), [
      [1, 'Title'],
      [2, 'First.'],
      [3, 'Second.'],
      [4, 'Third.'],
    ]);
  });

  test('a line of only no-break spaces (or other white space) is blank', () => {
    assert.deepEqual(numbered(plainTextParagraphs('Title\n\u00a0\n \t \nText\n\u2003\u00a0\nMore')), [
      [1, 'Title'],
      [2, 'Text'],
      [3, 'More'],
    ]);
  });

  test('CRLF and CR line endings number the same lines', () => {
    const lf = numbered(plainTextParagraphs('Title\n\nOne\nTwo\n'));
    assert.deepEqual(numbered(plainTextParagraphs('Title\r\n\r\nOne\r\nTwo\r\n')), lf);
    assert.deepEqual(numbered(plainTextParagraphs('Title\r\rOne\rTwo\r')), lf);
  });

  test('paragraph offsets slice the file to the line, without its line ending', () => {
    const text = 'Title\r\n\r\nOne line\r\n';
    const paragraphs = plainTextParagraphs(text);
    assert.deepEqual(paragraphs.map((p) => text.slice(p.start, p.end)), ['Title', 'One line']);
  });

  test('an indented line is still a paragraph', () => {
    assert.deepEqual(numbered(plainTextParagraphs('\tIndented')), [[1, '\tIndented']]);
  });

  test('the bundled korybko2021: ¶ 1 is the title and ¶ 6 holds the anaconda threat', () => {
    const source = bundledCorpus().byKey.get('korybko2021');
    assert.ok(source);
    assert.equal(source.paragraphs[0].number, 1);
    assert.match(source.paragraphs[0].text, /^Interpreting Russia’s Reaction/);
    assert.equal(source.paragraphs[5].number, 6);
    assert.match(source.paragraphs[5].text, /We will get around Kabul like an anaconda/);
    // The file has 15 non-blank lines and so 15 paragraphs.
    assert.equal(source.paragraphs.length, 15);
  });
});

describe('paragraph numbering of markdown sources', () => {
  const md = [
    '# Title',
    '',
    'Para one',
    'still para one.',
    '',
    '- item one',
    '- item two',
    '',
    '  second paragraph of item two',
    '',
    '> quoted paragraph',
    '>',
    '> quoted two',
    '',
    '```',
    'code is no paragraph',
    '```',
    '',
    '## Subheading',
    '',
    'Last *emphasised*.',
    '',
  ].join('\n');

  test('headings, paragraphs, list item paragraphs and blockquote paragraphs are one paragraph each', () => {
    assert.deepEqual(
      markdownParagraphs(md).map((p) => [p.number, p.text]),
      [
        [1, 'Title'],
        [2, 'Para one\nstill para one.'],
        [3, 'item one'],
        [4, 'item two'],
        [5, 'second paragraph of item two'],
        [6, 'quoted paragraph'],
        [7, 'quoted two'],
        [8, 'Subheading'],
        [9, 'Last emphasised.'],
      ],
    );
  });

  test('front matter is not a paragraph', () => {
    assert.deepEqual(
      markdownParagraphs('---\ntitle: x\n---\n\nBody\n').map((p) => p.text),
      ['Body'],
    );
  });

  test('a setext heading with CRLF line endings is one paragraph', () => {
    assert.deepEqual(
      markdownParagraphs('Title\r\n=====\r\n\r\nText\r\n').map((p) => p.text),
      ['Title', 'Text'],
    );
  });

  test('a .md source in a corpus is numbered as markdown, a .txt source by lines', () => {
    const corpus = buildCorpus(
      [
        { path: '/c/m.md', text: '# Title\n\nOne\ntwo\n' },
        { path: '/c/t.txt', text: '# Title\n\nOne\ntwo\n' },
      ],
      [],
      [],
    );
    assert.equal(corpus.byKey.get('m')?.paragraphs.length, 2);
    assert.equal(corpus.byKey.get('t')?.paragraphs.length, 3);
  });
});

describe('plainTextLayout on real text, with every kind of line ending', () => {
  /** Lines split by a regular expression, with their offsets: those holding a non-white-space character. */
  function referenceLayout(text: string): [number, number][] {
    const lines: [number, number][] = [];
    for (const match of text.matchAll(/[^\r\n]*(?:\r\n|\r|\n|$)/gu)) {
      const line = match[0].replace(/(?:\r\n|\r|\n)$/u, '');
      if (/\S/u.test(line)) lines.push([match.index, match.index + line.length]);
      if (match[0] === '') break;
    }
    return lines;
  }

  for (const { path, text } of realTexts()) {
    const lines = text.split('\n');
    const variants = {
      LF: text,
      CRLF: lines.join('\r\n'),
      CR: lines.join('\r'),
      mixed: lines.map((line, i) => line + ['\n', '\r\n', '\r', '\r\r\n', '\n\r'][i % 5]).join(''),
    };
    test(`${path}: each line holding text is a paragraph, at its offsets`, () => {
      for (const [name, variant] of Object.entries(variants)) {
        const { starts, ends } = plainTextLayout(variant);
        assert.deepEqual(Array.from(starts, (start, i) => [start, ends[i]]), referenceLayout(variant), name);
      }
    });
  }
});

describe('one plain-text paragraph found from the layout, not from the whole list', () => {
  for (const { path, text } of realTexts()) {
    test(`${path}: the same paragraphs, and every token at the same offsets`, () => {
      const layout = plainTextLayout(text);
      const whole = plainTextParagraphs(text);
      assert.deepEqual(
        whole.map((_, p) => plainTextParagraph(text, layout, p)),
        whole,
      );
      const index = new CorpusIndex();
      const laidOut = index.addSource(text, spansOfText(text, false), () => whole, false);
      const lazy = index.addSource(text, spansOfText(text, false), () => assert.fail('the whole list was laid out'), false, (p) => plainTextParagraph(text, layout, p));
      assert.ok(lazy.tokenCount > 100, 'a source with text to look up');
      const offsets = (source: typeof lazy): number[][] => Array.from({ length: source.tokenCount }, (_, t) => [source.tokenStart(t), source.tokenEnd(t)]);
      assert.deepEqual(offsets(lazy), offsets(laidOut));
    });
  }

  test('a near match over a stored index reads its changes and wording without laying out the source whole, as an index in memory gives them', async () => {
    const base = mkdtempSync(join(tmpdir(), 'verbatim-near-'));
    const dir = join(base, 'corpus');
    cpSync(corpusDir, dir, { recursive: true });
    // Debian's curl copyright file when installed (prose no one here wrote), else a bundled article: its last long line, one word changed.
    const real = realTexts();
    const chosen = real.find((t) => t.path.endsWith('curl/copyright')) ?? real[0];
    writeFileSync(join(dir, 'real.txt'), chosen.text);
    const line = chosen.text.split('\n').filter((l) => /^(?:\s*[A-Za-z,.'()-]+){14}/u.test(l)).at(-1);
    assert.ok(line, `${chosen.path} has a line of 14 words`);
    const words = line.trim().split(/\s+/u);
    words[6] = words[6] === 'zebra' ? 'giraffe' : 'zebra';
    const quotation = words.join(' ');

    const cache = join(base, 'cache');
    await loadCorpus(dir, { indexCache: cache });
    const index = openIndex(cache, dir);
    assert.ok(index.stored, 'the index was written');
    const laidOut: string[] = [];
    const paragraphs = index.stored.paragraphs;
    const get = paragraphs.get.bind(paragraphs);
    paragraphs.get = (key, read) => {
      laidOut.push(key);
      return get(key, read);
    };
    const stored = corpusOf(readCorpusFiles(dir, { stored: index.stored }), { sources: [], problems: [] }, index);
    assert.equal(stored.origin?.reused, stored.sources.length, 'every source from the stored index');
    const judged = judgeQuotation(stored, quotation, ['real']);
    const inMemory = judgeQuotation(loadTextCorpus(dir), quotation, ['real']);
    assert.equal(judged.verdict, 'changed');
    assert.equal(inMemory.verdict, 'changed');
    assert.deepEqual(judged.changes, inMemory.changes);
    assert.deepEqual([judged.place.start, judged.place.end, judged.place.paragraphs], [inMemory.place.start, inMemory.place.end, inMemory.place.paragraphs]);
    assert.equal(judged.expected, inMemory.expected);
    assert.ok(judged.expected.includes(words.slice(0, 6).join(' ')), 'the expected wording is the source line');
    assert.deepEqual(judged.changes.map((c) => [c.quotation, chosen.text.slice(c.sourceStart, c.sourceEnd)]), [[words[6], line.trim().split(/\s+/u)[6]]]);
    assert.deepEqual(laidOut, [], 'no paragraph list was made');
  });
});
