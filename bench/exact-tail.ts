// Where the exact-quotation tail comes from, on a corpus whose index is already on disk (built by
// `out/index-disk.js DIR CACHE cold`): `node --import tsx bench/exact-tail.ts DIR CACHE`. Judges the workload's
// exact quotations three times in one process; for each pass prints median and p95 of wall time and of the
// process's CPU time (on a shared machine, a wall-time tail is mostly the wait for a core), the p95 of the
// judgements during which no garbage collection ran, and how many judgements a collection overlapped. The first pass reads
// postings and token ids from the file (and checks their blocks); later passes find them in the cache.
import { PerformanceObserver } from 'node:perf_hooks';
import { buildCorpus } from '../server/src/engine/corpus/corpus.js';
import { openIndex, readCorpusFiles } from '../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../server/src/engine/match/judge.js';
import { drawQuotations } from './workload.js';

const [dir, cache] = process.argv.slice(2);
const index = openIndex(cache, dir);
if (!index.stored) throw new Error(`no index for ${dir} under ${cache}`);
const files = readCorpusFiles(dir, { stored: index.stored });
const corpus = buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { stored: index.stored });
const exact = drawQuotations(corpus).filter((q) => q.kind === 'exact');

const collections: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push({ start: entry.startTime, end: entry.startTime + entry.duration });
}).observe({ entryTypes: ['gc'] });

const at = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  for (let pass = 1; pass <= 3; pass++) {
    const times: { ms: number; cpuMs: number; start: number; end: number }[] = [];
    for (const q of exact) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      judgeQuotation(corpus, q.text, [q.key]);
      const end = performance.now();
      const used = process.cpuUsage(cpu);
      times.push({ ms: end - start, cpuMs: (used.user + used.system) / 1000, start, end });
    }
    // Observer entries arrive asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const overlapped = (t: { start: number; end: number }): boolean => collections.some((c) => c.start < t.end && c.end > t.start);
    const all = times.map((t) => t.ms).sort((a, b) => a - b);
    const cpu = times.map((t) => t.cpuMs).sort((a, b) => a - b);
    const clean = times.filter((t) => !overlapped(t)).map((t) => t.ms).sort((a, b) => a - b);
    const slowest = [...times].sort((a, b) => b.ms - a.ms).slice(0, 5).map((t) => `${t.ms.toFixed(2)}${overlapped(t) ? ' (GC)' : ''}`);
    console.log(
      `pass ${pass}: ${exact.length} exact, median ${at(all, 0.5).toFixed(3)} ms, p95 ${at(all, 0.95).toFixed(3)} ms; ` +
        `CPU median ${at(cpu, 0.5).toFixed(3)} ms, p95 ${at(cpu, 0.95).toFixed(3)} ms; ` +
        `without a collection: p95 ${at(clean, 0.95).toFixed(3)} ms (${all.length - clean.length} overlapped one); slowest ${slowest.join(', ')}`,
    );
  }
}
void main();
