// The PostgreSQL archive, measured by hand (not part of `npm run bench`: it needs a server):
//   node --import tsx bench/postgres.ts postgres://USER@/DB?host=/socket/folder [MEGABYTES] [QUOTATIONS]
// Loads the benchmark's real prose (bench/prose.ts) into the archive, times the load and a second, unchanged
// load, then checks one-quotation notes of every kind against the archive and against the folder, and
// reports per-quotation latency and any diagnostic that differs between the two.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { ClaimTagger } from '../server/src/engine/claims/detect.js';
import { NoteChecker } from '../server/src/engine/check.js';
import { loadCorpus } from '../server/src/engine/corpus/load.js';
import type { Corpus } from '../server/src/engine/corpus/corpus.js';
import { connectArchive } from '../server/src/engine/corpus/postgres/connection.js';
import { migrate } from '../server/src/engine/corpus/postgres/schema.js';
import { storeCorpus } from '../server/src/engine/corpus/postgres/store.js';
import { PostgresArchive } from '../server/src/engine/corpus/postgres/archive.js';
import { buildBenchCorpus } from './prose.js';
import { drawQuotations } from './workload.js';
import { root } from '../test/paths.js';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function main(): Promise<void> {
  const [url, megabytes = '10', count = '120'] = process.argv.slice(2);
  if (!url) throw new Error('usage: node --import tsx bench/postgres.ts postgres://… [MEGABYTES] [QUOTATIONS]');
  const tagger = await ClaimTagger.load();
  const check = (corpus: Corpus, note: string) => new NoteChecker(corpus, { claims: { tagger } }).check(note).diagnostics;
  const info = buildBenchCorpus(root, Number(megabytes) * 1e6, join(root, '.cache', 'bench'));
  let t = performance.now();
  const local = await loadCorpus(info.dir);
  const loadMs = performance.now() - t;
  const client = await connectArchive(url);
  await migrate(client);
  t = performance.now();
  const first = await storeCorpus(client, local);
  const storeMs = performance.now() - t;
  t = performance.now();
  const second = await storeCorpus(client, local);
  const againMs = performance.now() - t;
  await client.end();
  console.log(`${(info.bytes / 1e6).toFixed(1)} MB, ${local.sources.length} sources: folder load ${loadMs.toFixed(0)} ms; archive write ${storeMs.toFixed(0)} ms (${first.added.length} added, ${first.paragraphs} paragraphs); again ${againMs.toFixed(0)} ms (${second.unchanged} unchanged)`);

  const archive = await PostgresArchive.open(url);
  const byKind = new Map<string, number[]>();
  let differing = 0;
  const drawn = drawQuotations(local);
  // Every kind, evenly: the draw lists them kind by kind.
  const step = Math.max(1, Math.floor(drawn.length / Number(count)));
  const quotations = drawn.filter((_, i) => i % step === 0).slice(0, Number(count));
  for (const q of quotations) {
    const note = `Quotation "${q.text}" [@${q.key}].\n`;
    t = performance.now();
    const remote = await archive.corpusFor([note]);
    const diagnostics = check(remote, note);
    const ms = performance.now() - t;
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
    if (!isDeepStrictEqual(diagnostics, check(local, note))) {
      differing++;
      console.log(`differs (${q.kind}): ${q.text.slice(0, 80)}`);
    }
  }
  await archive.close();
  for (const [kind, times] of byKind) console.log(`${kind}: ${times.length} quotations, median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms`);
  console.log(`${differing} of ${quotations.length} notes differ from the folder's diagnostics`);
}

void main();
