// One load of a corpus with its index kept on disk, in a process of its own: prints its time and peak memory.
// `cold`: an empty cache (index built and written); `warm`: the index read back; `changed`: one source's text
// altered after reading, so that source alone is tokenised again and written; `update`: a warm load, then (timed)
// one source changed in a running process as an editor sees it — the folder listed again, the index file's new
// segments read, the changed source tokenised and its segment appended — and five open notes of 40 quotations (one
// quoting the changed source) checked again, what the change cannot affect kept (`update-full`: checked afresh);
// `lookup`: a warm load, then every drawn quotation judged three times over the index as the file holds it (one
// segment, or the several a first build on threads writes), median and p95 by kind.
import { readdirSync, readFileSync } from 'node:fs';
import { NoteChecker } from '../server/src/engine/check.js';
import { buildCorpus, keyOfPath, type Corpus } from '../server/src/engine/corpus/corpus.js';
import { writeIndexFile } from '../server/src/engine/corpus/index-file.js';
import { loadCorpus, openIndex, readCorpusFiles, type CorpusFiles, type OpenedIndex } from '../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../server/src/engine/match/judge.js';
import { drawQuotations, type QuotationKind } from './workload.js';

const [dir, cache, mode, threads] = process.argv.slice(2);

/** CPU milliseconds since `from`: on a machine others share, the work done, apart from the wait for a core. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

/**
 * CPU milliseconds of each of this process's threads (Linux: /proc/self/task), by thread id and name. Sampled
 * while a cold build runs, so that the worker threads, which end before it does, are counted: their last sample
 * is at most one interval short.
 */
function threadCpu(): Map<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      out.set(`${tid} ${name}`, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return out;
}

/** As if the middle source had been edited: new text, new stat. */
function changeOne(files: CorpusFiles): void {
  const m = files.sources.length >> 1;
  files.sources[m] = { path: files.sources[m].path, text: `${files.sources[m].text}\nA paragraph added at ${Date.now()}.\n`, size: -1, mtimeMs: -1 };
}

function load(index: OpenedIndex, change: boolean): Corpus {
  const files = readCorpusFiles(dir, { stored: index.stored });
  if (change) changeOne(files);
  const corpus = buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { stored: index.stored });
  writeIndexFile(index.file, corpus);
  return corpus;
}

async function main(): Promise<void> {
if (mode === 'cold') {
  // A first build as the command line makes it: tokenised on worker threads, written whole.
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const before = threadCpu();
  const seen = new Map<string, number>();
  const sample = (): void => threadCpu().forEach((ms, thread) => seen.set(thread, ms - (before.get(thread) ?? 0)));
  const sampler = setInterval(sample, 20);
  const corpus = await loadCorpus(dir, { indexCache: cache, threads: threads === undefined ? undefined : Number(threads) });
  clearInterval(sampler);
  sample();
  const ms = performance.now() - t0;
  // The threads that did work: the main thread (named as the process), the build's workers, and Node's own.
  const threadsCpuMs = Object.fromEntries([...seen].filter(([, ms]) => ms >= 20));
  // CPU time of every thread: on a machine others share, how much work the build was, apart from its wait.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(JSON.stringify({ ms, cpuMs, openMs: 0, readMs: 0, buildMs: ms, writeMs: 0, threadsCpuMs, wrote: true, reused: corpus.origin?.reused ?? 0, sources: corpus.sources.length, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  return;
}
const started = performance.now();
const startCpu = process.cpuUsage();
const index = openIndex(cache, dir);
const read = performance.now();
const files = readCorpusFiles(dir, { stored: index.stored });
const listed = performance.now();
if (mode === 'changed') changeOne(files);
const corpus = buildCorpus(files.sources, files.bibliographies, files.problems, new Set(), { stored: index.stored });
const built = performance.now();
const wrote = writeIndexFile(index.file, corpus);
const ms = performance.now() - started;
const result: Record<string, number | boolean> = {
  ms,
  cpuMs: cpuSince(startCpu),
  openMs: read - started,
  readMs: listed - read,
  buildMs: built - listed,
  writeMs: performance.now() - built,
  wrote,
  reused: corpus.origin?.reused ?? 0,
  sources: corpus.sources.length,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
if (mode === 'lookup') {
  const quotations = drawQuotations(corpus);
  const wall = new Map<QuotationKind, number[]>();
  const cpu = new Map<QuotationKind, number[]>();
  const note = (times: Map<QuotationKind, number[]>, kind: QuotationKind, ms: number): void => void times.set(kind, [...(times.get(kind) ?? []), ms]);
  for (let r = 0; r < 3; r++) {
    for (const q of quotations) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      judgeQuotation(corpus, q.text, [q.key]);
      note(cpu, q.kind, cpuSince(c0));
      note(wall, q.kind, performance.now() - t0);
    }
  }
  // CPU time as well as wall time: on a shared machine the wall time's tail is mostly the wait for a core.
  const at = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const medianP95 = (times: Map<QuotationKind, number[]>): Record<string, number[]> => Object.fromEntries([...times].map(([kind, samples]) => [kind, [at(samples.sort((a, b) => a - b), 0.5), at(samples, 0.95)]]));
  Object.assign(result, { segments: index.stored?.segments.length ?? 0, lookupsMs: medianP95(wall), lookupsCpuMs: medianP95(cpu) });
}
if (mode === 'update' || mode === 'update-full') {
  // Five open notes of about 40 quotations each, drawn apart; the first also quotes the source about to change.
  const drawn = drawQuotations(corpus);
  const changedKey = keyOfPath(files.sources[files.sources.length >> 1].path);
  const changedSource = corpus.byKey.get(changedKey);
  const ownWords = changedSource?.paragraphs.find((p) => p.text.split(/\s+/u).length > 20)?.text.split(/\s+/u).slice(4, 16).join(' ');
  const notes = Array.from({ length: 5 }, (_, n) => {
    const quotations = drawn.filter((_, i) => i % 12 === n);
    const lines = quotations.map((q, i) => `Quotation ${i + 1} reads "${q.text}" [@${q.key}].\n`);
    if (n === 0 && ownWords) lines.push(`The changed source reads "${ownWords}" [@${changedKey}].\n`);
    return lines.join('\n');
  });
  const before = performance.now();
  const checker = new NoteChecker(corpus);
  for (const note of notes) checker.check(note);
  const checkMs = performance.now() - before;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const reopened = openIndex(cache, dir, index);
  const changed = load(reopened, true);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  // `update-full`: every open note checked afresh, as the editor did before results were carried across a change.
  const next = mode === 'update-full' ? new NoteChecker(changed) : checker.carriedTo(changed);
  const kept = next.cachedUnits;
  let diagnostics = 0;
  for (const note of notes) diagnostics += next.check(note).diagnostics.length;
  const t2 = performance.now();
  Object.assign(result, {
    checkMs,
    updateMs: t2 - t0,
    reindexMs: t1 - t0,
    recheckMs: t2 - t1,
    reindexCpuMs: cpuSince(c0) - cpuSince(c1),
    recheckCpuMs: cpuSince(c1),
    notes: notes.length,
    quotations: notes.reduce((n, note) => n + note.split('\n\n').length, 0),
    keptUnits: kept,
    rerunCharacters: next.parsedCharacters,
    diagnostics,
  });
}
process.stdout.write(JSON.stringify(result));
}
void main();
