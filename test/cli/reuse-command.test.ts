import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliRunner, corpusDir, root } from '../helpers.js';
import { fixtureCorpus } from '../reuse-fixtures.js';

const run = cliRunner('reuse');

interface JsonSide {
  key: string;
  path: string;
  date: string | null;
  paragraph: number;
  words: number;
  share: number;
}

interface JsonReuse {
  version: number;
  sources: number;
  candidates: number;
  pairs: { origin: JsonSide; copy: JsonSide; kind: string; direction: string; sharedWords: number; longestRun: number; runText: string | null }[];
}

describe('verbatim reuse (CLI)', () => {
  let corpus: string;
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
    corpus = fixtureCorpus();
  });

  test('--format json: every pair with both sides, kind, direction and shared words', () => {
    const { status, stdout } = run(['reuse', '--corpus', corpus, '--format', 'json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as JsonReuse;
    assert.equal(report.version, 1);
    assert.equal(report.sources, 8);
    assert.equal(report.pairs.length, 13);
    const quoted = report.pairs.find((p) => p.copy.key === 'quoting2021');
    assert.deepEqual(quoted, {
      origin: { key: 'zochowski2021', path: join(corpus, 'zochowski2021.txt'), date: null, paragraph: 5, words: 138, share: 0.13 },
      copy: { key: 'quoting2021', path: join(corpus, 'quoting2021.txt'), date: '2021-09-02', paragraph: 3, words: 50, share: 0.36 },
      kind: 'verbatim',
      direction: 'quotation',
      sharedWords: 18,
      longestRun: 18,
      runText: 'It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August',
    });
    const spun = report.pairs.filter((p) => p.copy.key === 'gulspun2021');
    assert.ok(spun.every((p) => p.kind === 'paraphrased' && p.direction === 'dates' && p.origin.date === '2021-07-10' && p.copy.date === '2021-07-20'));
  });

  test('text output: a heading per pair of sources, a line per pair of paragraphs, a summary', () => {
    const { status, stdout } = run(['reuse', '--corpus', corpus]);
    assert.equal(status, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'gul2021 (2021-07-10) → gulspun2021 (2021-07-20)');
    assert.equal(lines[1], '  ¶ 2 → ¶ 5  paraphrased 15 words shared, 56% of ¶ 2, 52% of ¶ 5');
    assert.ok(lines.includes('anon2021 (undated) ↔ wire2021 (2021-08-18)  (direction unknown: anon2021 undated)'), stdout);
    assert.ok(lines.includes('zochowski2021 (undated) → quoting2021 (2021-09-02)  (zochowski2021 undated; quoting2021 quotes the words)'), stdout);
    assert.ok(lines.includes('  ¶ 5 → ¶ 3  verbatim    18 words shared, 13% of ¶ 5, 36% of ¶ 3'), stdout);
    assert.ok(lines.includes('      longest run, 18 words: “It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August”'), stdout);
    assert.equal(lines[lines.length - 1], `13 pairs of paragraphs in 3 pairs of sources (8 sources, ${(JSON.parse(run(['reuse', '--corpus', corpus, '--format', 'json']).stdout) as JsonReuse).candidates} candidate pairs of paragraphs compared)`);
  });

  test('two sources are one pair of sources, one paragraph quoting the other (→) and one copying it unmarked (↔)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-reuse-both-'));
    copyFileSync(join(corpusDir, 'zochowski2021.txt'), join(dir, 'zochowski2021.txt'));
    const paragraphs = readFileSync(join(dir, 'zochowski2021.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const quoted = paragraphs[4].split('. ')[0];
    const copied = paragraphs[7].split('. ')[0];
    writeFileSync(join(dir, 'blog2021.txt'), `A blog\n\nAs the analyst put it, “${quoted}”, and that says it all.\n\nMeanwhile ${copied} as well, we read.\n`);
    const { status, stdout } = run(['reuse', '--corpus', dir]);
    assert.equal(status, 0);
    assert.match(stdout, /^zochowski2021 \(undated\) → blog2021 \(undated\) {2}\(zochowski2021 and blog2021 undated; blog2021 quotes the words\)$/mu);
    assert.match(stdout, /^blog2021 \(undated\) ↔ zochowski2021 \(undated\) {2}\(direction unknown: blog2021 and zochowski2021 undated\)$/mu);
    assert.match(stdout, /^2 pairs of paragraphs in 1 pair of sources \(2 sources, /mu);
  });

  test('usage errors exit 2 with a pointer to the help; --help exits 0', () => {
    const format = run(['reuse', '--corpus', corpus, '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.equal(format.stderr, 'verbatim: --format must be "text" or "json", not "xml"\nRun "verbatim reuse --help" for its options.\n');
    const missing = run(['reuse', '--corpus', join(corpus, 'nowhere')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Corpus folder not found: .*nowhere/u);
    const archive = run(['reuse', '--corpus', 'postgres://reader@localhost/verbatim']);
    assert.equal(archive.status, 2);
    assert.match(archive.stderr, /^verbatim: --corpus must be a folder: reuse does not read a PostgreSQL archive yet\n/u);
    const file = run(['reuse', '--corpus', join(corpus, 'gul2021.txt')]);
    assert.equal(file.status, 2);
    assert.match(file.stderr, /--corpus must be a folder: .*gul2021\.txt is a file/u);
    const help = run(['reuse', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage:\n {2}verbatim reuse \[--corpus DIR\] \[--format text\|json\]/u);
  });
});
