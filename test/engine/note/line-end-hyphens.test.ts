import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { loadCorpus } from '../../../server/src/engine/corpus/load.js';
import { readLineEndHyphens } from '../../../server/src/engine/note/line-end-hyphens.js';
import { MappedText } from '../../../server/src/engine/text/mapped-text.js';
import { bundledCorpus, check, root } from '../../helpers.js';

const newsPdf = join(root, 'test', 'fixtures', 'sources', 'korybko2021-news.pdf');
const pdftotext = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
const noPdftotext = pdftotext.error ? 'pdftotext (Debian’s poppler-utils) is not installed' : false;

/** Prose whose every unit stands at its own offset, as a note's quotation would. */
const prose = (text: string): MappedText => new MappedText(text, Int32Array.from(text, (_, i) => i), Int32Array.from(text, (_, i) => i + 1));

describe('reading line-end hyphens', () => {
  test('joined: the hyphen and the break go; hyphenated: only the break goes; both keep the note’s offsets', () => {
    const text = 'asking Ghani to con\u2010\nsider a well-\n  known plan';
    const joined = readLineEndHyphens(prose(text), 'joined');
    assert.equal(joined.text, 'asking Ghani to consider a wellknown plan');
    assert.equal(joined.documentStart(joined.text.indexOf('sider')), text.indexOf('sider'));
    assert.equal(readLineEndHyphens(prose(text), 'hyphenated').text, 'asking Ghani to con\u2010sider a well-known plan');
    // A soft hyphen at a line end is a break, however read; soft hyphens beside a hyphen go with it.
    assert.equal(readLineEndHyphens(prose('threa\u00AD\u2010\ntened'), 'hyphenated').text, 'threa\u2010tened');
    assert.equal(readLineEndHyphens(prose('threa\u00AD\ntened'), 'hyphenated').text, 'threatened');
    // Not at a line end, or not between letters: left alone.
    assert.equal(readLineEndHyphens(prose('a well- known plan, 1990-\n2000'), 'joined').text, 'a well- known plan, 1990-\n2000');
  });
});

describe('a quotation copied from a PDF viewer verifies', () => {
  let pdfCorpus: Corpus;
  let pasted: string[];
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-pasted-'));
    copyFileSync(newsPdf, join(dir, 'korybko2021.pdf'));
    pdfCorpus = await loadCorpus(dir);
    pasted = noPdftotext ? [] : spawnSync('pdftotext', [newsPdf, '-'], { encoding: 'utf8' }).stdout.split('\n');
  });

  test('lines pasted exactly as pdftotext gives them, line-end hyphens and soft hyphens included', { skip: noPdftotext }, () => {
    // The lines of the paragraph quoting the "anaconda" threat: the first ends "threa‐", with the PDF's own break hyphen.
    const first = pasted.findIndex((line) => line.startsWith('Be that as it may'));
    assert.ok(first >= 0 && /threa\u00AD?\u2010$/u.test(pasted[first]), pasted[first]);
    const quotation = pasted.slice(first, first + 4).join('\n');
    for (const corpus of [pdfCorpus, bundledCorpus()]) {
      assert.deepEqual(check(`Korybko: “${quotation}” [@korybko2021].\n`, corpus), []);
      assert.deepEqual(check(`> ${quotation.replaceAll('\n', '\n> ')}\n>\n> -- [@korybko2021]\n`, corpus), []);
    }
  });

  test('a real hyphen that falls at a line end stays, and a changed word is still named', () => {
    assert.deepEqual(check('Korybko says "a high-\nranking Taliban member recently threatened" it [@korybko2021].\n'), []);
    const note = 'Korybko: "asking Ghani to con\u2010\nsider stepping down" [@korybko2021].\n';
    const [changed] = check(note);
    assert.equal(changed.message, 'Quotation differs from korybko2021 ¶ 10: source has "resigning", not "stepping down"');
    assert.deepEqual(changed.data?.fix?.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 19 } });
  });
});
