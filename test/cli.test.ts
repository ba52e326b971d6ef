import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner, root } from './helpers.js';

const run = cliRunner('cli');

interface JsonReport {
  version: number;
  files: { path: string; diagnostics: { code: string; severity: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; source?: string }[] }[];
}

let work: string;
before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  work = mkdtempSync(join(tmpdir(), 'verbatim-cli-'));
});

describe('verbatim check', () => {
  test('text output: file:line:col severity code message, then a summary; exit 1 on errors', () => {
    const note = join(work, 'wrong.md');
    writeFileSync(note, 'Intro.\n\nMoscow "has limited confidence in them" [@suchkov2021].\n');
    const { status, stdout } = run(['check', '--corpus', 'corpus', note]);
    assert.equal(status, 1);
    const lines = stdout.trim().split('\n');
    assert.equal(lines[0], `${note}:3:9 error quote-wrong-source Quotation is not in suchkov2021; it is in zochowski2021 ¶ 13`);
    assert.equal(lines[1], '1 note checked: 1 error, 0 warnings, 0 information');
  });

  test('exit 0 when only warnings', () => {
    const note = join(work, 'warning.md');
    writeFileSync(note, 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n');
    const { status, stdout } = run(['check', '--corpus', 'corpus', note]);
    assert.equal(status, 0);
    assert.match(stdout, /warning quote-mismatch/);
  });

  test('exit 0 and a clean summary for a clean note', () => {
    const note = join(work, 'clean.md');
    writeFileSync(note, 'Korybko: "We will get around Kabul like an anaconda." [@korybko2021]\n');
    const { status, stdout } = run(['check', '--corpus', 'corpus', note]);
    assert.equal(status, 0);
    assert.equal(stdout, '1 note checked: 0 errors, 0 warnings, 0 information\n');
  });

  test('a folder is searched recursively for markdown notes', () => {
    const folder = join(work, 'notes');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.md'), '"has limited confidence in them" [@zochowski2021]\n');
    writeFileSync(join(folder, 'sub', 'b.md'), '"has limited confidence in them" [@suchkov2021]\n');
    writeFileSync(join(folder, 'sub', 'c.txt'), '"not a note" [@nobody]\n');
    const { stdout } = run(['check', '--corpus', 'corpus', '--format', 'json', folder]);
    const report = JSON.parse(stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => f.path), [join(folder, 'a.md'), join(folder, 'sub', 'b.md')]);
  });

  test('usage and configuration errors exit 2 with a message on stderr', () => {
    const missingCorpus = run(['check', '--corpus', join(work, 'nope'), 'examples']);
    assert.equal(missingCorpus.status, 2);
    assert.match(missingCorpus.stderr, /Corpus folder not found/);
    assert.equal(missingCorpus.stdout, '');
    const badFormat = run(['check', '--format', 'xml', 'examples']);
    assert.equal(badFormat.status, 2);
    assert.match(badFormat.stderr, /--format must be "text", "json", "sarif" or "github"/);
    const unknownOption = run(['check', '--strict', 'examples']);
    assert.equal(unknownOption.status, 2);
    const missingPath = run(['check', join(work, 'missing.md')]);
    assert.equal(missingPath.status, 2);
    assert.match(missingPath.stderr, /No such file or folder/);
    assert.equal(run(['frobnicate']).status, 2);
  });
});

describe('--format json', () => {
  test('exactly one JSON document with LSP ranges', () => {
    const { status, stdout } = run(['check', '--corpus', 'corpus', '--format', 'json', 'examples']);
    assert.equal(status, 1);
    const report = JSON.parse(stdout) as JsonReport;
    assert.equal(report.version, 1);
    assert.equal(report.files.length, 1);
    const codes = new Set(report.files[0].diagnostics.map((d) => d.code));
    for (const code of ['quote-mismatch', 'quote-misattributed', 'quote-wrong-source', 'quote-not-found', 'quote-uncited', 'unknown-source', 'locator-mismatch', 'locator-invalid', 'claim-unsupported']) {
      assert.ok(codes.has(code), `the example shows ${code}`);
    }
    for (const d of report.files[0].diagnostics) {
      assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
      assert.equal(d.source, 'verbatim');
      assert.equal(typeof d.range.start.line, 'number');
    }
  });

  test('CRLF notes and an emoji before a quotation: 0-based lines, UTF-16 characters', () => {
    const body = 'First line.\n\n👍🏽 Moscow "has limited confidence in them" [@suchkov2021].\n';
    const lf = join(work, 'lf.md');
    const crlf = join(work, 'crlf.md');
    writeFileSync(lf, body);
    writeFileSync(crlf, body.replace(/\n/g, '\r\n'));
    const parse = (path: string) => (JSON.parse(run(['check', '--format', 'json', path]).stdout) as JsonReport).files[0].diagnostics;
    const [a] = parse(lf);
    const [b] = parse(crlf);
    // "👍🏽" is four UTF-16 code units: the quotation starts after `👍🏽 Moscow "`.
    const line = body.split('\n')[2];
    const character = line.indexOf('has limited');
    assert.equal(character, 13);
    assert.deepEqual(a.range, { start: { line: 2, character }, end: { line: 2, character: character + 'has limited confidence in them'.length } });
    assert.deepEqual(b.range, a.range);
  });

  test('a corpus problem is reported on the corpus file, and the rest still works', () => {
    const corpus = join(work, 'corpus-bad');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'zochowski2021.txt'), readFileSync(join(root, 'corpus', 'zochowski2021.txt')));
    writeFileSync(join(corpus, 'references.json'), '[\n  {"id": "zochowski2021",\n');
    const note = join(work, 'uses-bad-corpus.md');
    writeFileSync(note, '"has limited confidence in them" [@zochowski2021]\n');
    const { stdout, status } = run(['check', '--corpus', corpus, '--format', 'json', note]);
    assert.equal(status, 1);
    const report = JSON.parse(stdout) as JsonReport;
    const bibliography = report.files.find((f) => f.path.endsWith('references.json'));
    assert.ok(bibliography, 'the bibliography has a report');
    assert.equal(bibliography.diagnostics[0].code, 'corpus-error');
    assert.match(bibliography.diagnostics[0].message, /not valid JSON/);
    assert.deepEqual(report.files.find((f) => f.path === note)?.diagnostics, []);
  });
});

describe('npm run check', () => {
  test('checks the examples against the bundled corpus', () => {
    const result = spawnSync('npm', ['run', '--silent', 'check'], { cwd: root, encoding: 'utf8' });
    assert.match(result.stdout, /examples\/russia-and-the-taliban\.md:\d+:\d+ warning quote-mismatch/);
    assert.match(result.stdout, /1 note checked: 5 errors, 6 warnings, 0 information/);
  });
});

describe('usage mistakes get short, exact messages', () => {
  test('a misspelt option is named with the one meant; a missing value is said plainly; check’s mistakes point at its help', () => {
    assert.equal(run(['check', '--corpsu', 'corpus', 'examples']).stderr, 'verbatim: Unknown option --corpsu; did you mean --corpus?\nRun "verbatim check --help" for its options.\n');
    assert.equal(run(['check', '--corpus']).stderr, 'verbatim: --corpus needs a value\nRun "verbatim check --help" for its options.\n');
    assert.match(run(['check', '--help']).stdout, /\n {6}--corpus DIR\|URL {6}the corpus folder \(default \.\/corpus\), or a PostgreSQL\n {28}archive written by "verbatim index" \(postgres:\/\/…\)\n/u);
  });

  test('an unknown option, a corpus that is a file, a note named twice', () => {
    assert.match(run(['check', '--bogus']).stderr, /^verbatim: Unknown option --bogus\n/);
    assert.match(run(['check', '--corpus', 'README.md', 'examples']).stderr, /^verbatim: --corpus must be a folder: README.md is a file\n/);
    const { stdout } = run(['check', 'examples', 'examples/russia-and-the-taliban.md']);
    assert.match(stdout, /\n1 note checked:/);
  });

  test('--severity changes a code or turns it off; unknown codes are refused', () => {
    const note = join(work, 'severity.md');
    writeFileSync(note, 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n');
    assert.equal(run(['check', '--severity', 'quote-mismatch=error', note]).status, 1);
    assert.equal(run(['check', '--severity', 'quote-mismatch=off', note]).stdout, '1 note checked: 0 errors, 0 warnings, 0 information\n');
    assert.equal(run(['check', '--severity', 'quote-typo=off', note]).status, 2);
  });
});

describe('a note or corpus that cannot be used is reported once, where it is', () => {
  test('an unreadable note gets its own diagnostic; the other notes are checked; exit 1', () => {
    const folder = join(work, 'one-unreadable');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a-latin1.md'), Buffer.from('Notes.\n\nCaf\xe9 "like an anaconda" [@korybko2021].\n', 'latin1'));
    writeFileSync(join(folder, 'b-fine.md'), 'Moscow "has limited confidence in them" [@suchkov2021].\n');
    const { status, stdout, stderr } = run(['check', '--corpus', 'corpus', folder]);
    assert.equal(status, 1);
    assert.equal(stderr, '');
    assert.equal(
      stdout,
      [
        `${join(folder, 'a-latin1.md')}:3:4 error note-error File is not valid UTF-8 (byte 0xE9 at line 3, column 4); the note was not checked`,
        `${join(folder, 'b-fine.md')}:1:9 error quote-wrong-source Quotation is not in suchkov2021; it is in zochowski2021 ¶ 13`,
        '2 notes checked: 2 errors, 0 warnings, 0 information',
        '',
      ].join('\n'),
    );
  });

  test('an empty corpus folder is reported once, not as an unknown source at every citation', () => {
    const empty = join(work, 'empty-corpus');
    mkdirSync(empty);
    const note = join(work, 'cites-into-empty.md');
    writeFileSync(note, '"like an anaconda" [@korybko2021]. "in them" [@zochowski2021].\n');
    const { status, stdout } = run(['check', '--corpus', empty, '--format', 'json', note]);
    assert.equal(status, 1);
    const report = JSON.parse(stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((f) => [f.path, f.diagnostics.map((d) => `${d.code}: ${d.message}`)]),
      [
        [empty, [`corpus-error: ${empty}/ holds no sources (no readable .txt, .md, .pdf, .html or .docx file)`]],
        [note, []],
      ],
    );
  });

  test('check --help and lsp --help print the command’s help and exit 0', () => {
    const check = run(['check', '--help']);
    assert.equal(check.status, 0);
    assert.equal(check.stderr, '');
    assert.match(check.stdout, /^Usage:\n {2}verbatim check \[--corpus DIR\|URL\]/u);
    assert.match(check.stdout, /Exit status: 0 no errors, 1 errors found, 2 usage or configuration error\.\n$/u);
    assert.doesNotMatch(check.stdout, /verbatim lsp/u);
    const lsp = run(['lsp', '--help']);
    assert.equal(lsp.status, 0);
    assert.equal(lsp.stdout, 'Usage:\n  verbatim lsp --stdio\n      Runs the language server over standard input and output.\n');
  });
});

describe('a corpus of documents as analysts keep them', () => {
  test('a saved web page, a PDF attached to a Better BibTeX entry, and a missing attachment', () => {
    const corpus = join(work, 'zotero-export');
    mkdirSync(join(corpus, 'files'), { recursive: true });
    const fixtures = join(root, 'test', 'fixtures', 'sources');
    writeFileSync(join(corpus, 'korybko2021.html'), readFileSync(join(fixtures, 'korybko2021.html')));
    writeFileSync(join(corpus, 'files', 'Zochowski - Russia and the Taliban.pdf'), readFileSync(join(fixtures, 'zochowski2021-journal.pdf')));
    writeFileSync(
      join(corpus, 'library.bib'),
      [
        '@article{zochowski2021,',
        '  title = {Russia and the Taliban’s takeover in Afghanistan},',
        '  author = {Żochowski, Piotr},',
        '  date = {2021-08-17},',
        '  file = {Full Text PDF:files/Zochowski - Russia and the Taliban.pdf:application/pdf}',
        '}',
        '@online{lost2021,',
        '  file = {files/lost.pdf}',
        '}',
        '',
      ].join('\n'),
    );
    const note = join(work, 'documents.md');
    writeFileSync(
      note,
      [
        'A Taliban member said "We will get around Kabul like an anaconda" [@korybko2021, ¶ 6].',
        '',
        'Moscow "has limited confidence in them" [@zochowski2021].',
        '',
        'Moscow "has little confidence in them" [@zochowski2021].',
        '',
      ].join('\n'),
    );
    const { status, stdout } = run(['check', '--corpus', corpus, '--format', 'json', note]);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((f) => [f.path, f.diagnostics.map((d) => `${d.range.start.line}:${d.code}: ${d.message}`)]),
      [
        [join(corpus, 'library.bib'), ['6:corpus-error: Bibliography entry "lost2021": attachment not found: files/lost.pdf']],
        [note, ['4:quote-mismatch: Quotation differs from zochowski2021 ¶ 17 (p. 20): source has "limited", not "little"']],
      ],
    );
  });

  test('a corpus folder named relative to the working folder: an attachment is its entry’s source only, not one of its own as well', () => {
    const project = join(work, 'relative-corpus');
    mkdirSync(join(project, 'corpus', 'files'), { recursive: true });
    writeFileSync(join(project, 'corpus', 'files', 'zochowski-journal.pdf'), readFileSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf')));
    writeFileSync(join(project, 'corpus', 'library.bib'), ['@article{zochowski2021,', '  title = {Russia and the Taliban’s takeover in Afghanistan},', '  file = {Full Text PDF:files/zochowski-journal.pdf:application/pdf}', '}', ''].join('\n'));
    writeFileSync(join(project, 'note.md'), ['Moscow "has limited confidence in them" [@zochowski2021].', '', 'Moscow "has limited confidence in them" [@zochowski-journal].', ''].join('\n'));
    const expected = ['3:42 error unknown-source Unknown source "zochowski-journal": no source in the corpus has this key'];
    for (const corpusArgs of [[], ['--corpus', 'corpus'], ['--corpus', './corpus/']]) {
      const { stdout } = run(['check', ...corpusArgs, 'note.md'], project);
      assert.deepEqual(stdout.split('\n').filter((line) => line.startsWith('note.md:')).map((line) => line.slice('note.md:'.length)), expected, `check ${corpusArgs.join(' ')}`);
      const reuse = JSON.parse(run(['reuse', ...corpusArgs, '--format', 'json'], project).stdout) as { sources: number };
      assert.equal(reuse.sources, 1, `reuse ${corpusArgs.join(' ')}`);
    }
  });
});
