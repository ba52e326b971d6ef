// `npm run bench` (about 3 minutes) and `npm run bench -- --quick` (about 1 minute): Verbatim's speed on real
// prose at 1, 10 and 50 MB, side by side with ripgrep and a plain approximate scan, and the same note cited
// through footnotes against inline, as tables and as JSON (in bench/results/, which git ignores).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import search from 'approx-string-match';
import { NoteChecker } from '../server/src/engine/check.js';
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../server/src/engine/match/judge.js';
import { AlignWorkspace } from '../server/src/engine/match/align.js';
import { ClaimTagger } from '../server/src/engine/claims/detect.js';
import type { LspTestClient } from '../test/lsp-client.js';
import { buildBenchCorpus, type BenchCorpus } from './prose.js';
import { resultsDir } from './results.js';
import { startServerWithNote } from './server-start.js';
import { cacheEffect, extractionSpeed } from './documents.js';
import { runScaleBench } from './scale.js';
import { buildCitedNotes, buildNote, drawQuotations, quotationLine, type BenchQuotation, type QuotationKind } from './workload.js';

const root = join(__dirname, '..');
const quick = process.argv.includes('--quick');
const SIZES_MB = quick ? [1, 10] : [1, 10, 50];
const REPS = quick ? 2 : 5;

interface Stat {
  median: number;
  p95: number;
  n: number;
}

function stat(samples: number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
}

const ms = (start: number): number => performance.now() - start;

/** All-pairs text reuse (`verbatim reuse`) in a fresh process: its time after the corpus is loaded, and what it found. */
function reuseAllPairs(corpus: BenchCorpus): {
  loadMs: number;
  reuseMs: number;
  candidates: number;
  verbatim: number;
  paraphrased: number;
  boilerplate: number;
  maxRssBytes: number;
  perSource: { sampled: number; medianMs: number; maxMs: number; longestStepMs: number; pairs: number[] };
} {
  return JSON.parse(execFileSync(process.execPath, [join(root, 'out', 'reuse.js'), corpus.dir], { encoding: 'utf8' })) as ReturnType<typeof reuseAllPairs>;
}

/** Index build in a fresh process each time, so its peak memory is its own. */
function indexBuild(corpus: BenchCorpus, reps: number): { ms: Stat; mbPerSecond: Stat; peakRssPerByte: Stat; peakRssMb: Stat } {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < reps; i++) {
    const out = execFileSync(process.execPath, [join(root, 'out', 'index-build.js'), corpus.dir], { encoding: 'utf8' });
    const result = JSON.parse(out) as { ms: number; maxRssBytes: number };
    times.push(result.ms);
    rss.push(result.maxRssBytes);
  }
  return {
    ms: stat(times),
    mbPerSecond: stat(times.map((t) => corpus.bytes / 1e6 / (t / 1000))),
    peakRssPerByte: stat(rss.map((r) => r / corpus.bytes)),
    peakRssMb: stat(rss.map((r) => r / 1e6)),
  };
}

function verification(corpus: ReturnType<typeof loadTextCorpus>, quotations: BenchQuotation[], reps: number): Record<QuotationKind, Stat> & { verdicts: Record<string, number> } {
  const byKind = new Map<QuotationKind, number[]>();
  const verdicts: Record<string, number> = {};
  const workspace = new AlignWorkspace();
  for (let r = 0; r < reps; r++) {
    for (const q of quotations) {
      const started = performance.now();
      const judgement = judgeQuotation(corpus, q.text, [q.key], workspace);
      const took = ms(started);
      byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), took]);
      if (r === 0) verdicts[`${q.kind}→${judgement.verdict}`] = (verdicts[`${q.kind}→${judgement.verdict}`] ?? 0) + 1;
    }
  }
  const out = Object.fromEntries([...byKind].map(([kind, samples]) => [kind, stat(samples)])) as Record<QuotationKind, Stat>;
  return { ...out, verdicts };
}

function fullCheck(corpus: ReturnType<typeof loadTextCorpus>, tagger: ClaimTagger, note: string, reps: number): Stat {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const checker = new NoteChecker(corpus, { claims: { tagger } });
    const started = performance.now();
    checker.check(note);
    times.push(ms(started));
  }
  return stat(times);
}

/** ripgrep finding each exact quotation in the corpus folder, one process per quotation (as a script would). */
function ripgrep(corpus: BenchCorpus, quotations: BenchQuotation[]): Stat | undefined {
  const found = spawnSync('rg', ['--version']);
  if (found.error) return undefined;
  const times: number[] = [];
  for (const q of quotations) {
    const started = performance.now();
    spawnSync('rg', ['-F', '-c', '--no-filename', '--', q.text, corpus.dir], { encoding: 'utf8' });
    times.push(ms(started));
  }
  return stat(times);
}

/** A plain approximate scan: approx-string-match over every source's text, for each near quotation. */
function approximateScan(corpus: ReturnType<typeof loadTextCorpus>, quotations: BenchQuotation[]): Stat {
  const times: number[] = [];
  for (const q of quotations) {
    const started = performance.now();
    const maxErrors = Math.ceil(q.text.length * 0.2);
    for (const source of corpus.sources) search(source.text, q.text, maxErrors);
    times.push(ms(started));
  }
  return stat(times);
}

/** A note open in a real language server, typed into as a writer would. */
interface OpenNote {
  client: LspTestClient;
  uri: string;
  startToFirstDiagnosticsMs: number;
  lines: string[];
  /** Characters typed so far at the end of each line. */
  typed: Map<number, number>;
}

/**
 * Starts a server on the corpus and opens the note: start to first diagnostics. The server keeps its index in
 * `storage` (an empty folder by default, so the index is built: a cold start).
 */
async function openNote(corpusDir: string, note: string, storage = mkdtempSync(join(tmpdir(), 'verbatim-bench-storage-'))): Promise<OpenNote> {
  const { client, uri, startToFirstDiagnosticsMs } = await startServerWithNote(root, corpusDir, note, storage);
  return { client, uri, startToFirstDiagnosticsMs, lines: note.split('\n'), typed: new Map() };
}

/** Types one character at the end of a line: the time until the server publishes the new version's diagnostics. */
async function keystroke(open: OpenNote, line: number): Promise<number> {
  const k = open.typed.get(line) ?? 0;
  open.typed.set(line, k + 1);
  const position = { line, character: open.lines[line].length + k };
  const sent = performance.now();
  await open.client.edit(open.uri, [{ range: { start: position, end: position }, newText: k % 6 === 5 ? ' ' : 'x' }]);
  return ms(sent);
}

/** A real LSP session: start, first diagnostics, then typing into the middle of the note, one character at a time. */
async function lspSession(corpusDir: string, note: string, keystrokes: number): Promise<{ startToFirstDiagnosticsMs: number; keystrokeMs: Stat }> {
  const open = await openNote(corpusDir, note);
  const times: number[] = [];
  for (let k = 0; k < keystrokes; k++) times.push(await keystroke(open, open.lines.length >> 1));
  await open.client.stop();
  return { startToFirstDiagnosticsMs: open.startToFirstDiagnosticsMs, keystrokeMs: stat(times) };
}

interface DiskLoad {
  ms: number;
  openMs: number;
  readMs: number;
  buildMs: number;
  writeMs: number;
  reused: number;
  maxRssBytes: number;
  /** `update` only: one source changed in a running process — re-indexed and written, then five open notes of 40 quotations checked again, what the change cannot affect kept. */
  reindexMs?: number;
  recheckMs?: number;
  checkMs?: number;
}

/**
 * The index on disk, each load in a fresh process: built into an empty cache (cold), read back (warm), and
 * with one source changed (that source tokenised again, the file rewritten); then a language server's start to
 * first diagnostics with the index already in its storage folder.
 */
async function diskIndex(corpus: BenchCorpus, note: string, reps: number) {
  const cache = mkdtempSync(join(tmpdir(), 'verbatim-bench-index-'));
  const load = (mode: string): DiskLoad => JSON.parse(execFileSync(process.execPath, [join(root, 'out', 'index-disk.js'), corpus.dir, cache, mode], { encoding: 'utf8' })) as DiskLoad;
  const cold = load('cold');
  const fileBytes = readdirSync(join(cache, 'index')).reduce((n, name) => n + statSync(join(cache, 'index', name)).size, 0);
  const changed = Array.from({ length: reps }, () => load('changed'));
  const updates = Array.from({ length: reps }, () => load('update'));
  load('cold'); // the file as the corpus is on disk again
  const warm = Array.from({ length: reps }, () => load('warm'));
  const starts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const open = await openNote(corpus.dir, note, cache);
    starts.push(open.startToFirstDiagnosticsMs);
    await open.client.stop();
  }
  return {
    fileBytes,
    fileBytesPerCorpusByte: fileBytes / corpus.bytes,
    coldMs: cold.ms,
    coldMbPerSecond: corpus.bytes / 1e6 / (cold.ms / 1000),
    warmMs: stat(warm.map((w) => w.ms)),
    warmReadFilesMs: stat(warm.map((w) => w.readMs)),
    warmPeakRssPerByte: stat(warm.map((w) => (w.maxRssBytes) / corpus.bytes)),
    changedMs: stat(changed.map((c) => c.ms)),
    changedWriteMs: stat(changed.map((c) => c.writeMs)),
    updateReindexMs: stat(updates.map((u) => u.reindexMs ?? NaN)),
    updateRecheckMs: stat(updates.map((u) => u.recheckMs ?? NaN)),
    updateFirstCheckMs: stat(updates.map((u) => u.checkMs ?? NaN)),
    warmOpenMs: stat(warm.map((w) => w.openMs)),
    warmStartToFirstDiagnosticsMs: stat(starts),
  };
}

/**
 * The same note cited inline and through footnotes: full check, and typing in
 * the middle quotation's line (and, in the footnote twin, in its definition).
 * The twins take turns, so both meet the same load on the machine.
 */
async function footnoteTwins(corpusDir: string, corpus: ReturnType<typeof loadTextCorpus>, tagger: ClaimTagger, quotations: BenchQuotation[], reps: number, keystrokes: number) {
  const twins = buildCitedNotes(quotations);
  const middle = twins.quotations >> 1;
  const definition = twins.footnotes.split('\n').findIndex((l) => l.startsWith(`[^q${middle + 1}]:`));
  const checks = { inline: [] as number[], footnotes: [] as number[] };
  for (let r = 0; r < reps; r++) {
    for (const twin of ['inline', 'footnotes'] as const) {
      const checker = new NoteChecker(corpus, { claims: { tagger } });
      const started = performance.now();
      checker.check(twins[twin]);
      checks[twin].push(ms(started));
    }
  }
  const inline = await openNote(corpusDir, twins.inline);
  const footnoted = await openNote(corpusDir, twins.footnotes);
  const keys = { inline: [] as number[], footnotes: [] as number[], inDefinition: [] as number[] };
  for (let k = 0; k < keystrokes; k++) {
    keys.inline.push(await keystroke(inline, quotationLine(middle)));
    keys.footnotes.push(await keystroke(footnoted, quotationLine(middle)));
    keys.inDefinition.push(await keystroke(footnoted, definition));
  }
  await inline.client.stop();
  await footnoted.client.stop();
  return {
    quotations: twins.quotations,
    fullCheckMs: { inline: stat(checks.inline), footnotes: stat(checks.footnotes) },
    keystrokeMs: { inline: stat(keys.inline), footnotes: stat(keys.footnotes), inDefinition: stat(keys.inDefinition) },
  };
}

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => (typeof c === 'number' ? (c >= 100 ? c.toFixed(0) : c.toFixed(c >= 10 ? 1 : 3)) : c)).join(' | ')} |`;
}

async function main(): Promise<void> {
  // `npm run bench -- --scale`: the corpus at scale, a benchmark of its own (bench/scale.ts).
  if (process.argv.includes('--scale')) return runScaleBench(root, quick);
  const tagger = await ClaimTagger.load();
  mkdirSync(join(root, '.cache', 'bench'), { recursive: true });
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 1e9), node: process.version };
  const results: Record<string, unknown>[] = [];
  // Start to first diagnostics on the bundled corpus with the example note.
  const example = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  const bundledStarts: number[] = [];
  for (let r = 0; r < REPS; r++) bundledStarts.push((await lspSession(join(root, 'corpus'), example, 1)).startToFirstDiagnosticsMs);

  for (const size of SIZES_MB) {
    const corpusInfo = buildBenchCorpus(root, size * 1e6, join(root, '.cache', 'bench'));
    process.stderr.write(`bench: ${size} MB corpus (${corpusInfo.files} files, ${(corpusInfo.bytes / 1e6).toFixed(1)} MB)…\n`);
    const build = indexBuild(corpusInfo, size >= 50 ? Math.min(REPS, 3) : REPS);
    const corpus = loadTextCorpus(corpusInfo.dir);
    const quotations = drawQuotations(corpus);
    const note = buildNote(quotations);
    const verify = verification(corpus, quotations, REPS);
    const check = fullCheck(corpus, tagger, note, size >= 50 ? Math.min(REPS, 3) : REPS);
    const exact = quotations.filter((q) => q.kind === 'exact').slice(0, quick ? 10 : 40);
    const rg = ripgrep(corpusInfo, exact);
    const near = quotations.filter((q) => q.kind === 'near').slice(0, quick ? 2 : 5);
    const approx = approximateScan(corpus, near);
    const lsp = await lspSession(corpusInfo.dir, note, quick ? 20 : 60);
    const footnotes = await footnoteTwins(corpusInfo.dir, corpus, tagger, quotations, size >= 50 ? Math.min(REPS, 3) : Math.max(REPS, 5), quick ? 20 : 60);
    const disk = await diskIndex(corpusInfo, note, size >= 50 ? Math.min(REPS, 3) : REPS);
    // Once, on the largest corpus: all pairs take tens of seconds.
    const reuse = size === SIZES_MB[SIZES_MB.length - 1] ? reuseAllPairs(corpusInfo) : undefined;
    results.push({ sizeMb: size, corpus: corpusInfo, build, verify, fullCheckMs: check, ripgrepMs: rg, approximateScanMs: approx, lsp, footnotes, disk, reuse });
  }

  process.stderr.write('bench: documents…\n');
  const extraction = await extractionSpeed(root, REPS, stat);
  const cache = cacheEffect(root, REPS, stat);
  const output = { date: new Date().toISOString(), machine, quick, bundledStartToFirstDiagnosticsMs: stat(bundledStarts), results, documents: { extraction, cache } };
  mkdirSync(resultsDir(root), { recursive: true });
  writeFileSync(join(resultsDir(root), quick ? 'quick.json' : 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);

  console.log(`Verbatim benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}${quick ? ' (quick)' : ''}`);
  console.log(`Start to first diagnostics, bundled corpus: median ${stat(bundledStarts).median.toFixed(0)} ms, p95 ${stat(bundledStarts).p95.toFixed(0)} ms\n`);
  console.log(row(['corpus', 'index build (s)', 'MB/s', 'peak RSS ÷ corpus', 'full check, 2,000 lines (ms)', 'keystroke → diagnostics p50 / p95 (ms)', 'start → first diagnostics (ms)']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---']));
  for (const r of results as { sizeMb: number; build: ReturnType<typeof indexBuild>; fullCheckMs: Stat; lsp: { startToFirstDiagnosticsMs: number; keystrokeMs: Stat } }[]) {
    console.log(row([`${r.sizeMb} MB`, r.build.ms.median / 1000, r.build.mbPerSecond.median, r.build.peakRssPerByte.median, r.fullCheckMs.median, `${r.lsp.keystrokeMs.median.toFixed(1)} / ${r.lsp.keystrokeMs.p95.toFixed(1)}`, r.lsp.startToFirstDiagnosticsMs]));
  }
  console.log('\nPer-quotation verification (ms, median / p95), and the baselines run side by side:\n');
  const kinds: QuotationKind[] = ['exact', 'typographic', 'convention', 'near', 'wrong-source', 'absent'];
  console.log(row(['corpus', ...kinds, 'rg -F per quotation', 'rg ÷ exact p95', 'approx scan per near quotation', 'scan ÷ near p95']));
  console.log(row(['---', ...kinds.map(() => '---'), '---', '---', '---', '---']));
  for (const r of results as { sizeMb: number; verify: Record<QuotationKind, Stat>; ripgrepMs?: Stat; approximateScanMs: Stat }[]) {
    const cells = kinds.map((k) => `${r.verify[k].median.toFixed(3)} / ${r.verify[k].p95.toFixed(3)}`);
    const rgRatio = r.ripgrepMs ? `${(r.ripgrepMs.median / r.verify.exact.p95).toFixed(0)}×` : 'rg not installed';
    console.log(
      row([`${r.sizeMb} MB`, ...cells, r.ripgrepMs ? r.ripgrepMs.median : 'n/a', rgRatio, r.approximateScanMs.median, `${(r.approximateScanMs.median / r.verify.near.p95).toFixed(0)}×`]),
    );
  }
  console.log('\nThe same note cited through footnotes and inline (each quotation cited with its paragraph; the footnote twin adds one definition per quotation):\n');
  console.log(row(['corpus', 'quotations', 'full check inline (ms)', 'full check footnotes (ms)', 'ratio', 'keystroke inline p50 / p95 (ms)', 'keystroke footnotes p50 / p95 (ms)', 'ratio p50 / p95', 'keystroke in a definition p50 / p95 (ms)']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---', '---', '---']));
  for (const r of results as { sizeMb: number; footnotes: Awaited<ReturnType<typeof footnoteTwins>> }[]) {
    const { fullCheckMs: check, keystrokeMs: keys } = r.footnotes;
    const pair = (s: Stat): string => `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}`;
    console.log(
      row([
        `${r.sizeMb} MB`,
        `${r.footnotes.quotations}`,
        check.inline.median,
        check.footnotes.median,
        `${(check.footnotes.median / check.inline.median).toFixed(2)}×`,
        pair(keys.inline),
        pair(keys.footnotes),
        `${(keys.footnotes.median / keys.inline.median).toFixed(2)}× / ${(keys.footnotes.p95 / keys.inline.p95).toFixed(2)}×`,
        pair(keys.inDefinition),
      ]),
    );
  }
  console.log('\nThe index on disk (a fresh process each load; the in-memory build and a cold server start above, for comparison):\n');
  console.log(row(['corpus', 'index file ÷ corpus', 'cold: build + write (ms)', 'cold MB/s', 'warm load p50 / p95 (ms)', 'of which opening the index (ms)', 'of which listing sources (ms)', 'warm peak RSS ÷ corpus', 'one source changed, fresh process p50 (ms)', 'of which writing (ms)', 'one source changed in a running process: re-indexed p50 / p95 (ms)', 'and five 40-quotation notes re-checked p50 / p95 (ms)', 'warm start → first diagnostics p50 / p95 (ms)', 'cold start → first diagnostics (ms)']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---', '---']));
  for (const r of results as { sizeMb: number; disk: Awaited<ReturnType<typeof diskIndex>>; lsp: { startToFirstDiagnosticsMs: number } }[]) {
    const d = r.disk;
    console.log(
      row([
        `${r.sizeMb} MB`,
        d.fileBytesPerCorpusByte,
        d.coldMs,
        d.coldMbPerSecond,
        `${d.warmMs.median.toFixed(0)} / ${d.warmMs.p95.toFixed(0)}`,
        d.warmOpenMs.median,
        d.warmReadFilesMs.median,
        d.warmPeakRssPerByte.median,
        d.changedMs.median,
        d.changedWriteMs.median,
        `${d.updateReindexMs.median.toFixed(0)} / ${d.updateReindexMs.p95.toFixed(0)}`,
        `${d.updateRecheckMs.median.toFixed(0)} / ${d.updateRecheckMs.p95.toFixed(0)}`,
        `${d.warmStartToFirstDiagnosticsMs.median.toFixed(0)} / ${d.warmStartToFirstDiagnosticsMs.p95.toFixed(0)}`,
        r.lsp.startToFirstDiagnosticsMs,
      ]),
    );
  }
  printReuse(results as { sizeMb: number; reuse?: ReturnType<typeof reuseAllPairs> }[]);
  printDocuments(extraction, cache);
}

function printReuse(results: { sizeMb: number; reuse?: ReturnType<typeof reuseAllPairs> }[]): void {
  console.log('\nText reuse between all sources (`verbatim reuse`), a fresh process, once on the largest corpus:\n');
  console.log(row(['corpus', 'corpus load (s)', 'all pairs (s)', 'candidate paragraph pairs', 'verbatim pairs', 'paraphrased pairs', 'boilerplate shingles', 'peak RSS (MB)']));
  console.log(row(['---', '---', '---', '---', '---', '---', '---', '---']));
  for (const { sizeMb, reuse } of results) {
    if (reuse) console.log(row([`${sizeMb} MB`, reuse.loadMs / 1000, reuse.reuseMs / 1000, `${reuse.candidates}`, `${reuse.verbatim}`, `${reuse.paraphrased}`, `${reuse.boilerplate}`, reuse.maxRssBytes / 1e6]));
  }
  for (const { sizeMb, reuse } of results) {
    if (!reuse) continue;
    const { perSource } = reuse;
    console.log(
      `\nOne source's reuse (the editor's hover on a source paragraph), ${perSource.sampled} sources of the ${sizeMb} MB corpus: ` +
        `median ${(perSource.medianMs / 1000).toFixed(2)} s, slowest ${(perSource.maxMs / 1000).toFixed(2)} s, longest step between pauses ${perSource.longestStepMs.toFixed(0)} ms ` +
        `(pairs found: ${perSource.pairs.join(', ')}).`,
    );
  }
}

function printDocuments(extraction: Awaited<ReturnType<typeof extractionSpeed>>, cache: ReturnType<typeof cacheEffect>): void {
  console.log('\nDocuments: text extraction in one process (after a warm-up), median of each document:\n');
  console.log(row(['document', 'size (KB)', 'extraction (ms)', 'MB/s']));
  console.log(row(['---', '---', '---', '---']));
  for (const r of extraction) console.log(row([r.document, r.bytes / 1000, r.ms.median, r.mbPerSecond]));
  console.log(
    `\nThe extraction cache: \`verbatim check\` on ${cache.documents} PDFs (${cache.megabytes.toFixed(2)} MB), a fresh process each time: ` +
      `empty cache ${cache.coldMs.median.toFixed(0)} ms, warm cache ${cache.warmMs.median.toFixed(0)} ms (${(cache.coldMs.median / cache.warmMs.median).toFixed(1)}× faster).`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
