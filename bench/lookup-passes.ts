// Per-quotation lookups over a folder's index on disk, pass by pass: `node out/lookup-passes.js DIR CACHE
// [--workload FILE] [--passes N]` (CACHE must hold the index: `node out/index-disk.js DIR CACHE cold`). Judges the
// benchmark's quotations N times (default 3) in one process and prints, for each pass and kind, the median and p95
// of wall time and of the process's CPU time (on a shared machine the wall time's tail is mostly the wait for a
// core). The first pass reads each lookup's postings, token ids and texts from the file; later ones find most of
// them held. Drawing the quotations reads every source's text (minutes at 500 MB on a busy machine): with
// `--workload FILE` they are read from FILE when it exists, else drawn and written there for the next run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildCorpus } from '../server/src/engine/corpus/corpus.js';
import { openIndex, readCorpusFiles } from '../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../server/src/engine/match/judge.js';
import { drawQuotations, type QuotationKind } from './workload.js';

const [dir, cache, ...rest] = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = rest.indexOf(name);
  return at >= 0 ? rest[at + 1] : undefined;
};
const workload = option('--workload');
const passes = Number(option('--passes') ?? 3);

const index = openIndex(cache, dir);
if (!index.stored) throw new Error(`no index of ${dir} under ${cache}: build it with out/index-disk.js first`);
const files = readCorpusFiles(dir, { stored: index.stored });
const corpus = buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { stored: index.stored });

interface Drawn {
  kind: QuotationKind;
  text: string;
  key: string;
}
let quotations: Drawn[];
if (workload && existsSync(workload)) quotations = JSON.parse(readFileSync(workload, 'utf8')) as Drawn[];
else {
  quotations = drawQuotations(corpus).map((q) => ({ kind: q.kind, text: q.text, key: q.key }));
  if (workload) writeFileSync(workload, JSON.stringify(quotations));
}

const at = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const round = (ms: number): number => Math.round(ms * 100) / 100;
const load = (): number[] => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
const result: { loadBefore: number[]; loadAfter?: number[]; segments: number; passes: Record<string, { wall: [number, number]; cpu: [number, number] }>[] } = {
  loadBefore: load(),
  segments: index.stored.segments.length,
  passes: [],
};
for (let pass = 0; pass < passes; pass++) {
  const times = new Map<QuotationKind, { wall: number[]; cpu: number[] }>();
  for (const q of quotations) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    judgeQuotation(corpus, q.text, [q.key]);
    const wall = performance.now() - t0;
    const used = process.cpuUsage(c0);
    const kind = times.get(q.kind) ?? { wall: [], cpu: [] };
    kind.wall.push(wall);
    kind.cpu.push((used.user + used.system) / 1000);
    times.set(q.kind, kind);
  }
  const summary = (samples: number[]): [number, number] => {
    const sorted = [...samples].sort((a, b) => a - b);
    return [round(at(sorted, 0.5)), round(at(sorted, 0.95))];
  };
  result.passes.push(Object.fromEntries([...times].map(([kind, t]) => [kind, { wall: summary(t.wall), cpu: summary(t.cpu) }])));
}
result.loadAfter = load();
process.stdout.write(`${JSON.stringify(result)}\n`);
