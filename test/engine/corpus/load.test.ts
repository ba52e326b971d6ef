import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTextCorpus, readTextFile } from '../../../server/src/engine/corpus/load.js';
import { check, codes, corpusDir } from '../../helpers.js';

/** A corpus folder holding gul2021 (a real source, to show the rest keeps working) plus `files`. */
function corpusWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-corpus-'));
  copyFileSync(join(corpusDir, 'gul2021.txt'), join(dir, 'gul2021.txt'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The one problem reported for `name`, as the user sees it. */
function problemFor(dir: string, name: string): string {
  const corpus = loadTextCorpus(dir);
  const problems = corpus.problems.filter((p) => p.path.endsWith(name));
  assert.equal(problems.length, 1, JSON.stringify(corpus.problems));
  const [problem] = problems;
  return `${problem.severity}${problem.range ? `@${problem.range.start.line + 1}` : ''}: ${problem.message}`;
}

/** gul2021 still works in that corpus. */
function restWorks(dir: string): void {
  assert.deepEqual(check('"Taliban militia has gone into celebration frenzy" [@gul2021, ¶ 5]\n', loadTextCorpus(dir)), []);
}

describe('bad corpus input is named, and the rest of the corpus keeps working', () => {
  test('a binary file', () => {
    const dir = corpusWith({ 'image.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]) });
    assert.equal(problemFor(dir, 'image.txt'), 'error: Binary file (it contains NUL bytes); not read as a source');
    restWorks(dir);
  });

  test('invalid UTF-8', () => {
    const dir = corpusWith({ 'latin1.txt': Buffer.from('Menu.\n\nCaf\xe9 au lait, served hot.\n', 'latin1') });
    assert.equal(problemFor(dir, 'latin1.txt'), 'error@3: File is not valid UTF-8 (byte 0xE9 at line 3, column 4); not read as a source');
    restWorks(dir);
  });

  test('an empty file', () => {
    const dir = corpusWith({ 'empty.txt': '' });
    assert.equal(problemFor(dir, 'empty.txt'), 'warning: Source has no text: it has no paragraphs to quote');
    restWorks(dir);
  });

  test('a byte-order mark and CRLF line endings are read as text', () => {
    const dir = corpusWith({ 'bom.txt': '\ufeffTitle line\r\nThe committee met twice in May.\r\n' });
    const corpus = loadTextCorpus(dir);
    assert.deepEqual(corpus.problems, []);
    assert.deepEqual(check('"Title line" [@bom, ¶ 1] and "The committee met twice in May" [@bom, ¶ 2]\n', corpus), []);
  });

  test('a 50 MB single-line source is indexed and quoted', () => {
    const line = 'The committee met twice in May and once in June. '.repeat(1_000_000);
    const dir = corpusWith({ 'huge.txt': `${line}The final sentence is unique here.\n` });
    const corpus = loadTextCorpus(dir);
    assert.equal(corpus.byKey.get('huge')?.paragraphs.length, 1);
    assert.deepEqual(check('"The final sentence is unique here" [@huge, ¶ 1]\n', corpus), []);
    assert.deepEqual(codes(check('"The final sentence is unusual here" [@huge, ¶ 1]\n', corpus)), ['quote-mismatch']);
  });

  test('malformed CSL-JSON is reported with its line', () => {
    const dir = corpusWith({ 'references.json': '[\n  {"id": "gul2021", "title": "T"},\n  {"id": \n]\n' });
    assert.match(problemFor(dir, 'references.json'), /^error@4: Bibliography is not valid JSON: /);
    restWorks(dir);
  });

  test('a malformed BibTeX entry is reported with its line; the other entries count', () => {
    const bib = '@article{gul2021,\n  title = {Why Does Russia See No Problem},\n  author = {Gul, Imtiaz},\n  year = {2021}\n}\n\n@book{broken,\n  title = {Unclosed\n';
    const dir = corpusWith({ 'references.bib': bib });
    assert.equal(problemFor(dir, 'references.bib'), 'error@8: Malformed BibTeX entry "broken": this "{" is never closed, so the entry runs on to the next one or the end of the file');
    const gul = loadTextCorpus(dir).byKey.get('gul2021')?.metadata;
    assert.deepEqual(gul, { title: 'Why Does Russia See No Problem', authors: ['Imtiaz Gul'], date: '2021', publisher: undefined, container: undefined });
    restWorks(dir);
  });

  test('a malformed BibTeX entry is reported at its slip, with its key: a comma missing after a field or the key, a brace left open', () => {
    const bib = [
      '@manual{fiorina2022libtasn1,',
      '  title = {Libtasn1: Abstract Syntax Notation One (ASN.1) library for the GNU system},',
      '  author = {Fiorina, Fabio and Josefsson, Simon and Mavrogiannopoulos, Nikos}',
      '  date = {2022-08-18}',
      '}',
      '',
      '@online{hess2022users',
      '  title = {Users and Groups in the Debian System}',
      '}',
      '',
      '@techreport{leonard2018mime,',
      '  title = {Shared {MIME}-info Database,',
      '  author = {Leonard, Thomas}',
      '',
      '@article{gul2021,',
      '  title = {Why Does Russia See No Problem with Taliban Victories?},',
      '  author = {Gul, Imtiaz}',
      '}',
      '',
    ].join('\n');
    const dir = corpusWith({ 'library.bib': bib });
    const corpus = loadTextCorpus(dir);
    assert.deepEqual(
      corpus.problems.map((p) => `${p.range ? p.range.start.line + 1 : '?'}: ${p.message}`),
      [
        '3: Malformed BibTeX entry "fiorina2022libtasn1": a comma is missing after this field, before the next one',
        '7: Malformed BibTeX entry "hess2022users": a comma is missing after the key, before the first field',
        '12: Malformed BibTeX entry "leonard2018mime": this "{" is never closed, so the entry runs on to the next one or the end of the file',
      ],
    );
    assert.equal(corpus.byKey.get('gul2021')?.metadata?.title, 'Why Does Russia See No Problem with Taliban Victories?');
  });

  test('a BibTeX "…" value never closed is reported at its opening quote, with its key, whether or not the parser reads the entry', () => {
    const bib = [
      '@manual{fiorina2022libtasn1,',
      '  title = "Libtasn1: Abstract Syntax Notation One (ASN.1) library for the GNU system,',
      '  year = 2022',
      '}',
      '',
      '@online{hess2022users,',
      '  title = "Users and Groups in the Debian System,',
      '  author = "Hess, Joey",',
      '}',
      '',
      '@misc(leonard2018mime,',
      '  title = "Shared {MIME-info "Database"} specification",',
      '  author = {Leonard, Thomas}',
      ')',
      'A note between entries, with a " of its own.',
      '',
      '@article{gul2021,',
      '  title = "Why Does Russia See No Problem with {"}Taliban{"} Victories?",',
      '  author = {Gul, Imtiaz}',
      '}',
      '',
    ].join('\n');
    const dir = corpusWith({ 'library.bib': bib, 'leonard2018mime.txt': 'The shared MIME-info database specification.\n' });
    const corpus = loadTextCorpus(dir);
    assert.deepEqual(
      corpus.problems.map((p) => `${p.range ? `${p.range.start.line + 1}:${p.range.start.character + 1}` : '?'}: ${p.message}`),
      [
        `2:11: Malformed BibTeX entry "fiorina2022libtasn1": this '"' is never closed, so the value runs on into the rest of the entry`,
        `7:11: Malformed BibTeX entry "hess2022users": this '"' is never closed, so the value runs on into the rest of the entry`,
      ],
    );
    assert.equal(corpus.byKey.get('leonard2018mime')?.metadata?.title, 'Shared MIME-info "Database" specification');
    assert.equal(corpus.byKey.get('gul2021')?.metadata?.title, 'Why Does Russia See No Problem with "Taliban" Victories?');
  });

  test('duplicate keys: two bibliography entries, two files with one key', () => {
    const dir = corpusWith({
      'references.json': JSON.stringify([{ id: 'gul2021', title: 'First' }, { id: 'gul2021', title: 'Second' }], null, 1),
    });
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'gul2021.md'), '# Another gul2021\n');
    const messages = loadTextCorpus(dir).problems.map((p) => p.message);
    assert.ok(messages.some((m) => m.startsWith('Duplicate bibliography id "gul2021"')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('Duplicate source key "gul2021"')), messages.join('\n'));
    assert.equal(loadTextCorpus(dir).byKey.get('gul2021')?.metadata?.title, 'First');
    restWorks(dir);
  });

  test('a bibliography entry whose text file is missing', () => {
    const dir = corpusWith({ 'references.json': '[\n {"id": "gul2021"},\n {"id": "lost2020", "title": "Lost"}\n]\n' });
    assert.equal(problemFor(dir, 'references.json'), 'warning@3: Bibliography entry "lost2020" has no source text (expected a file named lost2020.txt or lost2020.md)');
    restWorks(dir);
  });

  test('a symbolic link loop in the corpus folder is walked once', () => {
    const dir = corpusWith({});
    mkdirSync(join(dir, 'nested'));
    symlinkSync(dir, join(dir, 'nested', 'loop'));
    assert.deepEqual(loadTextCorpus(dir).problems, []);
    restWorks(dir);
  });

  test('a pipe named like a source is not read (reading it would block)', () => {
    const dir = corpusWith({});
    execFileSync('mkfifo', [join(dir, 'pipe.txt')]);
    assert.equal(problemFor(dir, 'pipe.txt'), 'warning: Not a regular file (a pipe, socket or device); not read');
    restWorks(dir);
  });

  test('a file that cannot be read says why', () => {
    const read = readTextFile(join(tmpdir(), 'verbatim-no-such-file.txt'));
    assert.ok('problem' in read);
    assert.match(read.problem, /^Cannot read file: ENOENT: no such file or directory/);
  });
});
