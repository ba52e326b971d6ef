import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { checkNote } from '../../../server/src/engine/check.js';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { readIndexFile } from '../../../server/src/engine/corpus/index-file.js';
import { buildFirstIndex, corpusOf, loadCorpus, loadTextCorpus, openIndex, readCorpusFiles, type OpenedIndex } from '../../../server/src/engine/corpus/load.js';
import { balancedShares, buildSegmentsInParallel } from '../../../server/src/engine/corpus/parallel.js';
import type { CandidateIndex } from '../../../server/src/engine/corpus/store.js';
import { judgeQuotation } from '../../../server/src/engine/match/judge.js';
import { corpusDir, root } from '../../helpers.js';

const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');

/**
 * A copy of the bundled corpus with a markdown document someone else wrote
 * (a dependency's README, under another name: README files are not sources)
 * and a file that is not UTF-8, and an empty cache folder.
 */
function workspace(): { dir: string; cache: string } {
  const base = mkdtempSync(join(tmpdir(), 'verbatim-threads-'));
  const dir = join(base, 'corpus');
  cpSync(corpusDir, dir, { recursive: true });
  copyFileSync(join(root, 'node_modules', 'commander', 'Readme.md'), join(dir, 'commander-manual.md'));
  writeFileSync(join(dir, 'latin1.txt'), Buffer.from('Caf\xe9 au lait, s\xfcr.\n', 'latin1'));
  return { dir, cache: join(base, 'cache') };
}

/** Every word's positions, by its text: what a lookup sees, whatever the ids. */
function postingsByText(index: CandidateIndex): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const { vocabulary } = index;
  for (let id = 0; id < vocabulary.size; id++) {
    if (vocabulary.folded[id] !== id) continue;
    const positions = [...index.positions(id)];
    assert.equal(index.frequency(id), positions.length, `frequency of ${vocabulary.text(id)}`);
    if (positions.length > 0) out[vocabulary.text(id)] = positions;
  }
  return out;
}

/** What a user sees of a corpus: its problems, the example note's diagnostics, and a few judgements. */
function outcomesOf(corpus: Corpus): unknown {
  const quoted = 'Russia sees a chance to step up its function as a regional energy in its personal yard';
  return {
    problems: corpus.problems.map((p) => `${p.path} ${p.message}`).sort(),
    diagnostics: checkNote(corpus, note).diagnostics,
    verdicts: [quoted, quoted.replace('chance', 'opportunity'), 'Caf\u00e9 au lait', 'the quotation is nowhere at all'].map((q) => judgeQuotation(corpus, q, ['anon2021']).verdict),
  };
}

/** A first build of `dir` in `shares` shares (run from source: in this thread, one share after another). */
async function firstBuild(dir: string, cache: string, shares: number): Promise<{ index: OpenedIndex; corpus: Corpus }> {
  const opened = openIndex(cache, dir);
  assert.equal(opened.stored, null, 'no index yet');
  const files = readCorpusFiles(dir, { stored: null, unread: true });
  assert.equal(files.sources.length, 0, 'the text files are only listed');
  const index = await buildFirstIndex(opened, files, [], { threads: shares, minimum: 0 });
  return { index, corpus: corpusOf(files, { sources: [], problems: [] }, index) };
}

describe('a first build in shares, a segment each', () => {
  test('writes an index whose every word’s positions, problems and verdicts are those of a build in one thread', async () => {
    const { dir, cache } = workspace();
    const inMemory = loadTextCorpus(dir);
    // One thread: the index built in this thread, written whole, read back.
    const single = join(cache, 'single');
    await loadCorpus(dir, { indexCache: single, threads: 1 });
    assert.equal(openIndex(single, dir).stored?.segments.length, 1);
    const fromOne = await loadCorpus(dir, { indexCache: single });
    assert.equal(fromOne.origin?.reused, fromOne.sources.length);
    const expected = postingsByText(fromOne.index);
    assert.deepEqual(postingsByText(inMemory.index), expected);
    assert.ok(checkNote(inMemory, note).diagnostics.length > 0, 'the example note has findings to compare');
    for (const shares of [2, 3]) {
      const threaded = join(cache, `shares-${shares}`);
      const { index, corpus } = await firstBuild(dir, threaded, shares);
      const segments = index.stored?.segments ?? [];
      assert.equal(segments.length, shares);
      // The first segment holds the whole vocabulary; the others only tokens and postings under it.
      assert.equal(segments[0].vocabulary.first, 0);
      for (const later of segments.slice(1)) assert.equal(later.vocabulary.starts.length, 1);
      assert.equal(corpus.origin?.reused, corpus.sources.length, 'every source comes from the file just written');
      assert.equal(corpus.origin?.toStore, undefined, 'nothing left to write');
      assert.equal(corpus.index.tokenCount, inMemory.index.tokenCount);
      assert.deepEqual(postingsByText(corpus.index), expected);
      assert.deepEqual(outcomesOf(corpus), outcomesOf(inMemory));
      // Read back by a later start: the same.
      assert.equal(readIndexFile(index.file).problem, undefined);
      const warm = await loadCorpus(dir, { indexCache: threaded });
      assert.equal(warm.origin?.reused, warm.sources.length);
      assert.deepEqual(postingsByText(warm.index), expected);
      assert.deepEqual(outcomesOf(warm), outcomesOf(inMemory));
    }
    assert.ok(outcomesOf(inMemory) !== undefined && inMemory.problems.some((p) => p.path.endsWith('latin1.txt')), 'the file that is not UTF-8 is reported');
  });

  for (const [name, damage] of [
    ['a byte flipped in its second segment', (file: string, second: number) => flip(file, second + Math.floor((statSync(file).size - second) / 2))],
    ['cut at the end of its first segment', (file: string, second: number) => truncateSync(file, second)],
    ['its second segment’s table of contents damaged', (file: string, second: number) => flip(file, second + 20)],
    ['its second segment’s header damaged', (file: string, second: number) => flip(file, second + 12)],
  ] as const) {
    test(`a file with ${name} is detected and rebuilt, never trusted`, async () => {
      const { dir, cache } = workspace();
      const { index } = await firstBuild(dir, cache, 2);
      const segments = index.stored?.segments ?? [];
      assert.equal(segments.length, 2);
      damage(index.file, 16 + segments[0].bytes);
      assert.match(readIndexFile(index.file).problem ?? '', /checksum|cut short|damaged/u);
      const rebuilt = await loadCorpus(dir, { indexCache: cache });
      assert.equal(rebuilt.origin?.reused, 0);
      assert.deepEqual(outcomesOf(rebuilt), outcomesOf(loadTextCorpus(dir)));
      assert.equal(readIndexFile(index.file).problem, undefined, 'the file is written anew');
    });
  }

  test('shares are of about equal size, each in corpus order, none empty', () => {
    // One large file among small ones: a cut into runs could not balance it.
    const weights = [1, 1, 1, 9, 1, 1, 1, 1, 1, 1];
    const shares = balancedShares(weights, 2);
    assert.deepEqual(shares.map((s) => s.reduce((n, i) => n + weights[i], 0)).sort(), [9, 9]);
    for (const share of shares) assert.deepEqual(share, [...share].sort((a, b) => a - b));
    assert.deepEqual(shares.flat().sort((a, b) => a - b), weights.map((_, i) => i));
    assert.deepEqual(balancedShares([5], 4), [[0]]);
  });

  test('is left to the calling thread when there is little text or one thread', async () => {
    assert.equal(await buildSegmentsInParallel([{ path: 'a.txt', text: 'A few words.', markdown: false }], { threads: 2 }), undefined);
    assert.equal(await buildSegmentsInParallel([{ path: 'a.txt', text: 'A few words.', markdown: false }], { threads: 1, minimum: 0 }), undefined);
  });

  test('bundled as the command line is, runs on worker threads, and the file they write reads back as a build in one thread', async () => {
    const { nodeBundle } = (await import(join(root, 'scripts', 'bundle-options.mjs'))) as { nodeBundle: (production?: boolean) => BuildOptions };
    const { build } = await import('esbuild');
    const { dir, cache } = workspace();
    const bundle = mkdtempSync(join(tmpdir(), 'verbatim-threads-bundle-'));
    const entry = join(bundle, 'entry.ts');
    writeFileSync(
      entry,
      `import { buildFirstIndex, openIndex, readCorpusFiles } from ${JSON.stringify(join(root, 'server/src/engine/corpus/load.ts'))};
import { buildSegmentsInParallel } from ${JSON.stringify(join(root, 'server/src/engine/corpus/parallel.ts'))};
const [dir, cache] = process.argv.slice(2);
async function main() {
  const texts = ['One share.', 'Another share.'].map((text, i) => ({ path: String(i), text, markdown: false }));
  const workers = (await buildSegmentsInParallel(texts, { threads: 2, minimum: 0 }))?.workers;
  const files = readCorpusFiles(dir, { stored: null, unread: true });
  let done = 0;
  const index = await buildFirstIndex(openIndex(cache, dir), files, [], { threads: 2, minimum: 0, onProgress: (n) => (done += n) });
  process.stdout.write(JSON.stringify({ workers, segments: index.stored?.segments.length, done, sources: files.sources.length }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`,
    );
    await build({ ...nodeBundle(true), sourcemap: false, entryPoints: [entry], outfile: join(bundle, 'bundle.js') });
    await build({ ...nodeBundle(true), sourcemap: false, entryPoints: [join(root, 'server/src/engine/corpus/segment-worker.ts')], outfile: join(bundle, 'segment-worker.js') });
    const run = spawnSync(process.execPath, [join(bundle, 'bundle.js'), dir, cache], { cwd: bundle, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const sources = readdirSync(dir).filter((name) => /\.(txt|md)$/u.test(name) && !/^readme\./iu.test(name)).length;
    // Every source was reported done by the threads; the one that is not UTF-8 is no source.
    assert.deepEqual(JSON.parse(run.stdout), { workers: 2, segments: 2, done: sources, sources: sources - 1 });
    const fromThreads = await loadCorpus(dir, { indexCache: cache });
    assert.equal(fromThreads.origin?.reused, fromThreads.sources.length);
    const inMemory = loadTextCorpus(dir);
    assert.deepEqual(postingsByText(fromThreads.index), postingsByText(inMemory.index));
    assert.deepEqual(outcomesOf(fromThreads), outcomesOf(inMemory));
  });
});

function flip(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] ^= 0xff;
  writeFileSync(file, bytes);
}
