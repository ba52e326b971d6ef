import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner, root } from '../helpers.js';
import { formatGithub } from '../../server/src/cli/format.js';

const corpus = join(root, 'corpus');

const run = cliRunner('format');

before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

describe('--format github', () => {
  test('workflow-command annotations, exactly: columns on one line, lines alone across two, % , : escaped', () => {
    const work = mkdtempSync(join(tmpdir(), 'verbatim-github-'));
    writeFileSync(
      join(work, 'draft, v2: notes.md'),
      [
        'Suchkov: "the movement announced it controlled up to 75% of the country" [@suchkov2021].',
        '',
        'Gul: "Last week the rebels said they held 85% of the whole land" [@gul2021].',
        '',
        'Moscow "has limited confidence',
        'in them" [@suchkov2021].',
        '',
      ].join('\n'),
    );
    const { status, stdout } = run(['check', '--corpus', corpus, '--format', 'github', '.'], work);
    assert.equal(status, 1);
    assert.equal(
      stdout,
      [
        '::warning file=draft%2C v2%3A notes.md,line=1,col=11,endLine=1,endColumn=71,title=Verbatim quote-mismatch::Quotation differs from suchkov2021 ¶ 1: source has "85", not "75"',
        '::error file=draft%2C v2%3A notes.md,line=3,col=7,endLine=3,endColumn=63,title=Verbatim quote-not-found::Quotation is not in gul2021 or any other source; the nearest passage, suchkov2021 ¶ 1, reads "Last week the movement announced it controlled up to 85%25 of…"',
        '::error file=draft%2C v2%3A notes.md,line=5,endLine=6,title=Verbatim quote-wrong-source::Quotation is not in suchkov2021; it is in zochowski2021 ¶ 13',
        '1 note checked: 2 errors, 1 warning, 0 information',
        '',
      ].join('\n'),
    );
  });

  test('information is a notice; a clean note prints only the summary and exits 0', () => {
    const work = mkdtempSync(join(tmpdir(), 'verbatim-github-'));
    writeFileSync(join(work, 'a.md'), 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].\n');
    const { status, stdout } = run(['check', '--corpus', corpus, '--format', 'github', '--severity', 'quote-mismatch=information', 'a.md'], work);
    assert.equal(status, 0);
    assert.match(stdout, /^::notice file=a\.md,line=1,col=11,endLine=1,endColumn=53,title=Verbatim quote-mismatch::Quotation differs from korybko2021 ¶ 6/u);
    writeFileSync(join(work, 'a.md'), 'Korybko: "We will get around Kabul like an anaconda." [@korybko2021]\n');
    assert.deepEqual(run(['check', '--corpus', corpus, '--format', 'github', 'a.md'], work), { status: 0, stdout: '1 note checked: 0 errors, 0 warnings, 0 information\n', stderr: '' });
  });
});

describe('workflow-command escaping', () => {
  test('a message with CR, LF and % stays one command; a path with : and , stays one property', () => {
    const output = formatGithub(
      [
        {
          path: 'notes/a:b,c.md',
          diagnostics: [
            { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'corpus-error', message: 'line one\r\nline two: 100%', source: 'verbatim' },
          ],
        },
      ],
      0,
    );
    assert.equal(output, '::error file=notes/a%3Ab%2Cc.md,line=1,col=1,endLine=1,endColumn=1,title=Verbatim corpus-error::line one%0D%0Aline two: 100%25\n0 notes checked: 1 error, 0 warnings, 0 information\n');
  });
});
