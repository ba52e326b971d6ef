import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentPaths, readableAttachments } from '../../../server/src/engine/corpus/attachments.js';
import { corpusOf, readCorpusFiles } from '../../../server/src/engine/corpus/load.js';
import { check, corpusDir } from '../../helpers.js';

describe('the file field of a Zotero or Better BibTeX entry', () => {
  test('Better BibTeX paths separated by semicolons', () => {
    assert.deepEqual(attachmentPaths('files/a.pdf;files/a.html'), ['files/a.pdf', 'files/a.html']);
    assert.deepEqual(attachmentPaths('/home/ann/Zotero/storage/X7/Report 2021.pdf'), ['/home/ann/Zotero/storage/X7/Report 2021.pdf']);
  });

  test('Zotero’s description:path:mime triples, with escaped colons and semicolons', () => {
    assert.deepEqual(attachmentPaths('Full Text PDF:files/12/a.pdf:application/pdf;Snapshot:files/13/b.html:text/html'), ['files/12/a.pdf', 'files/13/b.html']);
    assert.deepEqual(attachmentPaths('Full Text:C\\:\\\\Users\\\\ann\\\\a\\;b.pdf:application/pdf'), ['C:\\Users\\ann\\a;b.pdf']);
    assert.deepEqual(attachmentPaths(':files/c.pdf:application/pdf'), ['files/c.pdf']);
  });

  test('the PDF is preferred, then a saved page, then the rest; unreadable kinds are left out', () => {
    const paths = ['a.txt', 'a.html', 'a.png', 'a.pdf', 'b.htm', 'a.docx'].map((path) => ({ path }));
    assert.deepEqual(readableAttachments(paths).map((a) => a.path), ['a.pdf', 'a.html', 'b.htm', 'a.docx', 'a.txt']);
  });
});

/** A corpus folder with a Better BibTeX export whose entries point at attachments. */
function zoteroFolder(bib: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-zotero-'));
  mkdirSync(join(dir, 'files'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'library.bib'), bib);
  return dir;
}

describe('a bibliography’s attachments are its entries’ sources', () => {
  test('an attachment takes the entry’s key and metadata, and is not a source of its own too', () => {
    const dir = zoteroFolder(
      [
        '@article{korybko2021interpreting,',
        '  title = {Interpreting Russia’s Reaction},',
        '  author = {Korybko, Andrew},',
        '  date = {2021-08-16},',
        '  file = {files/korybko.txt},',
        '}',
        '',
      ].join('\n'),
    );
    copyFileSync(join(corpusDir, 'korybko2021.txt'), join(dir, 'files', 'korybko.txt'));
    const corpus = corpusOf(readCorpusFiles(dir));
    assert.deepEqual([...corpus.byKey.keys()], ['korybko2021interpreting']);
    assert.deepEqual(corpus.problems, []);
    const source = corpus.byKey.get('korybko2021interpreting');
    assert.deepEqual(source?.metadata, { title: 'Interpreting Russia’s Reaction', authors: ['Andrew Korybko'], date: '2021-08-16', publisher: undefined, container: undefined });
    assert.deepEqual(check('A Taliban member said "We will get around Kabul like an anaconda" [@korybko2021interpreting, ¶ 6].\n', corpus).map((d) => d.code), []);
  });

  test('an absolute path, and a path relative to the .bib in another folder', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'verbatim-storage-'));
    copyFileSync(join(corpusDir, 'gul2021.txt'), join(elsewhere, 'gul.txt'));
    const dir = zoteroFolder(`@online{gul,\n  title = {Why Does Russia See No Problem},\n  file = {Snapshot:${join(elsewhere, 'gul.txt').replaceAll(':', '\\:')}:text/plain}\n}\n`);
    assert.deepEqual([...corpusOf(readCorpusFiles(dir)).byKey.keys()], ['gul']);
    const nested = zoteroFolder('');
    mkdirSync(join(nested, 'export'));
    copyFileSync(join(corpusDir, 'gul2021.txt'), join(nested, 'files', 'gul.txt'));
    writeFileSync(join(nested, 'export', 'lib.bib'), '@online{gul, file = {../files/gul.txt}}\n');
    assert.deepEqual([...corpusOf(readCorpusFiles(nested)).byKey.keys()], ['gul']);
  });

  test('with several attachments the PDF is the source; the others are the entry’s, not sources of their own', () => {
    const dir = zoteroFolder('@report{suchkov, file = {files/s.txt;files/s.pdf;files/s.html}}\n', { 'files/s.txt': 'A copy.\n', 'files/s.pdf': '%PDF-1.4\n', 'files/s.html': '<p>x</p>' });
    const files = readCorpusFiles(dir);
    assert.deepEqual(files.documents.map((d) => [d.key, d.format, d.path]), [['suchkov', 'pdf', join(dir, 'files', 's.pdf')]]);
    assert.deepEqual(files.sources, []);
  });

  test('a missing attachment is a warning on the entry; the rest of the corpus works', () => {
    const dir = zoteroFolder('@article{gone,\n  file = {files/gone.pdf}\n}\n@online{here, file = {files/here.txt}}\n', { 'files/here.txt': 'Moscow has downplayed concerns about the advance.\n' });
    const corpus = corpusOf(readCorpusFiles(dir));
    assert.deepEqual(
      corpus.problems.map((p) => [p.path, p.range?.start.line, p.severity, p.message]),
      [[join(dir, 'library.bib'), 0, 'warning', 'Bibliography entry "gone": attachment not found: files/gone.pdf']],
    );
    assert.deepEqual([...corpus.byKey.keys()], ['here']);
  });

  test('outside the corpus folder, attachments are read only when allowed (a trusted workspace)', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'verbatim-storage-'));
    writeFileSync(join(elsewhere, 'secret.txt'), 'Not for an untrusted workspace.\n');
    const dir = zoteroFolder(`@misc{outside, file = {${join(elsewhere, 'secret.txt')}}}\n`);
    const refused = corpusOf(readCorpusFiles(dir, { attachmentsOutside: false }));
    assert.deepEqual([...refused.byKey.keys()], []);
    assert.match(refused.problems[0].message, /^Bibliography entry "outside": its attachment .*secret\.txt is outside the corpus folder, which is read only in a trusted workspace$/u);
    assert.deepEqual([...corpusOf(readCorpusFiles(dir, { attachmentsOutside: true })).byKey.keys()], ['outside']);
  });

  test('an attachment of a kind Verbatim cannot read is named', () => {
    const dir = zoteroFolder('@misc{image, file = {files/scan.png}}\n@misc{ok, file = {files/ok.txt}}\n', { 'files/ok.txt': 'Words.\n' });
    assert.deepEqual(corpusOf(readCorpusFiles(dir)).problems.map((p) => p.message), ['Bibliography entry "image": no attachment Verbatim can read (files/scan.png); it reads .pdf, .html, .docx, .txt and .md']);
  });
});
