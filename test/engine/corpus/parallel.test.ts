import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { checkNote } from '../../../server/src/engine/check.js';
import { buildCorpus, isMarkdownPath, type Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { loadTextCorpus, readCorpusFiles } from '../../../server/src/engine/corpus/load.js';
import { tokeniseInParallel, type TokenisedSource } from '../../../server/src/engine/corpus/parallel.js';
import { contentHash } from '../../../server/src/engine/corpus/stored-index.js';
import type { CandidateIndex } from '../../../server/src/engine/corpus/store.js';
import { corpusDir, root } from '../../helpers.js';

/** Every word's positions, by its text: what a lookup sees, whatever the ids. */
function postingsByText(index: CandidateIndex): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const { vocabulary } = index;
  for (let id = 0; id < vocabulary.size; id++) {
    if (vocabulary.folded[id] !== id) continue;
    const positions = [...index.positions(id)];
    if (positions.length > 0) out[vocabulary.text(id)] = positions;
  }
  return out;
}

/** The bundled corpus built from sources tokenised in shares (one per thread) and merged. */
async function sharedOutBuild(threads: number): Promise<Corpus> {
  const files = readCorpusFiles(corpusDir);
  const tokenised = await tokeniseInParallel(
    files.sources.map((f) => ({ text: f.text, markdown: isMarkdownPath(f.path) })),
    threads,
    0,
  );
  assert.ok(tokenised, 'tokenised in shares');
  assert.equal(tokenised.workers, 0, 'no bundled worker script beside the source');
  const byFile = new Map<(typeof files.sources)[number], TokenisedSource>();
  files.sources.forEach((file, i) => {
    assert.equal(tokenised.sources[i].hash, contentHash(file.text));
    byFile.set(file, tokenised.sources[i]);
  });
  return buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { pretokenised: { vocabulary: tokenised.vocabulary, sources: byFile } });
}

describe('a first build tokenised in shares', () => {
  test('run from source, tokenises the shares in this thread, and merges their vocabularies into an index with every word’s positions, and the verdicts, of a build in one thread', async () => {
    const inOne = loadTextCorpus(corpusDir);
    const note = 'She wrote that "Russia sees a chance to step up its function as a regional energy in its personal yard" [@anon2021].\n';
    for (const threads of [2, 3]) {
      const merged = await sharedOutBuild(threads);
      assert.equal(merged.index.tokenCount, inOne.index.tokenCount);
      assert.deepEqual(postingsByText(merged.index), postingsByText(inOne.index));
      assert.deepEqual(checkNote(merged, note).diagnostics, checkNote(inOne, note).diagnostics);
    }
  });

  test('is left to one thread when there is little text or one thread', async () => {
    assert.equal(await tokeniseInParallel([{ text: 'A few words.', markdown: false }], 2), undefined);
    assert.equal(await tokeniseInParallel([{ text: 'A few words.', markdown: false }], 1, 0), undefined);
  });

  test('bundled as the command line is, runs on worker threads and gives the same postings', async () => {
    const { nodeBundle } = (await import(join(root, 'scripts', 'bundle-options.mjs'))) as { nodeBundle: (production?: boolean) => BuildOptions };
    const { build } = await import('esbuild');
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-threads-bundle-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { readCorpusFiles } from ${JSON.stringify(join(root, 'server/src/engine/corpus/load.ts'))};
import { tokeniseInParallel } from ${JSON.stringify(join(root, 'server/src/engine/corpus/parallel.ts'))};
const files = readCorpusFiles(process.argv[2]);
tokeniseInParallel(files.sources.map((f) => ({ text: f.text, markdown: false })), 2, 0).then((t) => {
  if (!t) throw new Error('the worker threads failed');
  const words = t.sources.map((s) => Array.from(s.ids, (id) => t.vocabulary.text(id)).join(' '));
  process.stdout.write(JSON.stringify({ workers: t.workers, words }));
}, (e) => { console.error(e); process.exit(1); });
`,
    );
    await build({ ...nodeBundle(true), sourcemap: false, entryPoints: [entry], outfile: join(dir, 'bundle.js') });
    await build({ ...nodeBundle(true), sourcemap: false, entryPoints: [join(root, 'server/src/engine/corpus/tokenise-worker.ts')], outfile: join(dir, 'tokenise-worker.js') });
    const run = spawnSync(process.execPath, [join(dir, 'bundle.js'), corpusDir], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const inOne = loadTextCorpus(corpusDir);
    const expected = readCorpusFiles(corpusDir).sources.map((file) => {
      const source = inOne.sources.find((s) => s.path === file.path);
      assert.ok(source);
      return Array.from(source.indexed.ids, (id) => inOne.index.vocabulary.text(id)).join(' ');
    });
    assert.deepEqual(JSON.parse(run.stdout), { workers: 2, words: expected });
  });
});
