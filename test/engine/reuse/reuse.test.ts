import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTextCorpus } from '../../../server/src/engine/corpus/load.js';
import type { Corpus, Source } from '../../../server/src/engine/corpus/corpus.js';
import { findReuse, sourceReuseSteps, type ReusePair, type ReuseReport } from '../../../server/src/engine/reuse/reuse.js';
import { corpusDir } from '../../helpers.js';
import { fixtureCorpus, reuseFixtures } from '../../reuse-fixtures.js';

/** The pairs between two sources, as `origin ¶ → copy ¶ kind` strings, in report order. */
function between(report: ReuseReport, a: string, b: string): string[] {
  return report.pairs
    .filter((p) => (p.origin.key === a && p.copy.key === b) || (p.origin.key === b && p.copy.key === a))
    .map((p) => `${p.origin.key} ¶ ${p.origin.paragraph} → ${p.copy.key} ¶ ${p.copy.paragraph} ${p.kind}`);
}

const involving = (report: ReuseReport, key: string): ReusePair[] => report.pairs.filter((p) => p.origin.key === key || p.copy.key === key);

/** One source's reuse, its search run to the end. */
function reuseOf(corpus: Corpus, source: Source): ReusePair[] {
  const steps = sourceReuseSteps(corpus, source);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

describe('text reuse between sources (engine)', () => {
  let corpus: Corpus;
  let report: ReuseReport;
  before(() => {
    corpus = loadTextCorpus(fixtureCorpus());
    report = findReuse(corpus);
  });

  test("one source's reuse, searched from its own shingles, is the all-pairs report's pairs involving it, in the same order", () => {
    let found = 0;
    for (const source of corpus.sources) {
      const pairs = reuseOf(corpus, source);
      assert.deepEqual(pairs, report.pairs.filter((p) => p.origin.path === source.path || p.copy.path === source.path), source.key);
      found += pairs.length;
    }
    // Every pair is found from each of its two sources.
    assert.equal(found, 2 * report.pairs.length);
    assert.equal(report.pairs.length, 13);
  });

  test('a spun copy of gul2021 is found as paraphrase, paragraph by paragraph, the earlier-dated source as origin', () => {
    assert.deepEqual(between(report, 'gul2021', 'gulspun2021'), [
      // gul2021's standfirst (¶ 2) repeats its ¶ 9, so both pair with the copy's ¶ 5.
      'gul2021 ¶ 2 → gulspun2021 ¶ 5 paraphrased',
      'gul2021 ¶ 5 → gulspun2021 ¶ 2 paraphrased',
      'gul2021 ¶ 7 → gulspun2021 ¶ 3 paraphrased',
      'gul2021 ¶ 8 → gulspun2021 ¶ 4 paraphrased',
      'gul2021 ¶ 9 → gulspun2021 ¶ 5 paraphrased',
      'gul2021 ¶ 13 → gulspun2021 ¶ 6 paraphrased',
    ]);
    for (const pair of involving(report, 'gulspun2021')) {
      assert.equal(pair.direction, 'dates');
      assert.ok(pair.origin.share >= 0.5 && pair.copy.share >= 0.5, `${pair.origin.paragraph}: ${pair.origin.share} / ${pair.copy.share}`);
    }
  });

  test('an article quoting an 18-word sentence of zochowski2021 is found as verbatim reuse of the right paragraphs', () => {
    const pairs = involving(report, 'quoting2021');
    assert.deepEqual(between(report, 'quoting2021', 'zochowski2021'), ['zochowski2021 ¶ 5 → quoting2021 ¶ 3 verbatim']);
    assert.equal(pairs.length, 1);
    const [pair] = pairs;
    assert.equal(pair.longestRun, 18);
    assert.equal(pair.sharedWords, 18);
    assert.equal(pair.runText, 'It has not closed its embassy in Kabul, which has been under the Taliban’s protection since 16 August');
    // zochowski2021 has no date in the bundled bibliography: the quotation marks say who quoted whom.
    assert.equal(pair.direction, 'quotation');
    assert.equal(pair.origin.date, undefined);
    assert.equal(pair.copy.date, '2021-09-02');
  });

  test('anon2021 is paired with the wire story it spins, and with no other source', () => {
    assert.deepEqual(between(report, 'anon2021', 'wire2021'), [
      'anon2021 ¶ 1 → wire2021 ¶ 1 paraphrased',
      'anon2021 ¶ 2 → wire2021 ¶ 2 paraphrased',
      'anon2021 ¶ 3 → wire2021 ¶ 3 paraphrased',
      'anon2021 ¶ 4 → wire2021 ¶ 4 paraphrased',
      'anon2021 ¶ 5 → wire2021 ¶ 5 paraphrased',
      'anon2021 ¶ 7 → wire2021 ¶ 6 paraphrased',
    ]);
    assert.deepEqual(new Set(involving(report, 'anon2021').map((p) => (p.origin.key === 'anon2021' ? p.copy.key : p.origin.key))), new Set(['wire2021']));
    assert.ok(involving(report, 'anon2021').every((p) => p.direction === 'unknown'));
  });

  test('the five bundled sources report the same events but share no text: shingle candidates are compared and rejected', () => {
    const bundled = findReuse(loadTextCorpus(corpusDir));
    assert.ok(bundled.candidates > 0, 'some paragraphs share four-word shingles (e.g. "it remains to be seen")');
    assert.deepEqual(bundled.pairs, []);
  });

  test('two paragraphs that share only a stock phrase of function words are no paraphrase', () => {
    // A line of dpkg's triggers spec (hard-wrapped: one line, one paragraph) and a paragraph of the libtasn1 manual,
    // both from Debian's documentation: they share "or at the end of the", six words, half of the shorter one's twelve.
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-reuse-stock-'));
    writeFileSync(
      join(dir, 'triggers.txt'),
      ['is activated until dpkg runs the package postinst (either due to', '--configure --pending, or at the end of the relevant run, as described', 'above).  Subsequent to activation and before notification, the', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'libtasn1.txt'),
      'The parser is case sensitive. The comments begin with -- and end either with another --, or at the end of the respective line, whichever comes first. The C-style /*, */ comments are not supported.\n',
    );
    const stock = findReuse(loadTextCorpus(dir));
    assert.equal(stock.candidates, 1, 'the shared shingles make the two paragraphs a candidate');
    assert.deepEqual(stock.pairs, []);
  });

  test('the earlier date decides the origin, whatever the corpus order', () => {
    // Dated before gul2021, the spun copy reads as the origin.
    const bibliography = readFileSync(join(reuseFixtures, 'references.json'), 'utf8').replace('[[2021, 7, 20]]', '[[2021, 7, 1]]');
    const redated = findReuse(loadTextCorpus(fixtureCorpus(bibliography)));
    const pairs = between(redated, 'gul2021', 'gulspun2021');
    assert.equal(pairs.length, 6);
    assert.ok(pairs.every((p) => p.startsWith('gulspun2021')), pairs.join('\n'));
  });
});
