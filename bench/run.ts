// `npm run bench` (about 3 minutes) and `npm run bench -- --quick` (about 1 minute): Verbatim's speed on real
// prose at 1, 10 and 50 MB, side by side with ripgrep and a plain approximate scan, as a table and as JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import search from 'approx-string-match';
import { NoteChecker } from '../server/src/engine/check.js';
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../server/src/engine/match/judge.js';
import { loadClaimDetection } from '../server/src/engine/claims/detect.js';
import { LspTestClient, uriOf } from '../test/lsp-client.js';
import { buildBenchCorpus, type BenchCorpus } from './prose.js';
import { buildNote, drawQuotations, type BenchQuotation, type QuotationKind } from './workload.js';

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
  for (let r = 0; r < reps; r++) {
    for (const q of quotations) {
      const started = performance.now();
      const judgement = judgeQuotation(corpus, q.text, [q.key]);
      const took = ms(started);
      byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), took]);
      if (r === 0) verdicts[`${q.kind}→${judgement.verdict}`] = (verdicts[`${q.kind}→${judgement.verdict}`] ?? 0) + 1;
    }
  }
  const out = Object.fromEntries([...byKind].map(([kind, samples]) => [kind, stat(samples)])) as Record<QuotationKind, Stat>;
  return { ...out, verdicts };
}

function fullCheck(corpus: ReturnType<typeof loadTextCorpus>, note: string, reps: number): Stat {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const checker = new NoteChecker(corpus);
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

/** A real LSP session: start, first diagnostics, then typing into the middle of the note, one character at a time. */
async function lspSession(corpusDir: string, note: string, keystrokes: number): Promise<{ startToFirstDiagnosticsMs: number; keystrokeMs: Stat }> {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-bench-'));
  const notePath = join(folder, 'note.md');
  writeFileSync(notePath, note);
  const started = performance.now();
  const client = LspTestClient.start([join(root, 'dist', 'server.js'), '--stdio']);
  client.settings = { debounceMs: 0, corpus: corpusDir };
  const status = client.status.next(() => true);
  await client.initialize(folder);
  const loaded = await status;
  if (loaded.sources === 0) throw new Error(`the server found no corpus at ${corpusDir}: ${loaded.error ?? ''}`);
  await client.open(notePath, note);
  const startToFirstDiagnosticsMs = ms(started);
  const uri = uriOf(notePath);
  const middle = note.split('\n').length >> 1;
  const line = note.split('\n')[middle];
  const times: number[] = [];
  for (let k = 0; k < keystrokes; k++) {
    const position = { line: middle, character: line.length + k };
    const sent = performance.now();
    await client.edit(uri, [{ range: { start: position, end: position }, newText: k % 6 === 5 ? ' ' : 'x' }]);
    times.push(ms(sent));
  }
  await client.stop();
  return { startToFirstDiagnosticsMs, keystrokeMs: stat(times) };
}

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => (typeof c === 'number' ? (c >= 100 ? c.toFixed(0) : c.toFixed(c >= 10 ? 1 : 3)) : c)).join(' | ')} |`;
}

async function main(): Promise<void> {
  await loadClaimDetection();
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
    const check = fullCheck(corpus, note, size >= 50 ? Math.min(REPS, 3) : REPS);
    const exact = quotations.filter((q) => q.kind === 'exact').slice(0, quick ? 10 : 40);
    const rg = ripgrep(corpusInfo, exact);
    const near = quotations.filter((q) => q.kind === 'near').slice(0, quick ? 2 : 5);
    const approx = approximateScan(corpus, near);
    const lsp = await lspSession(corpusInfo.dir, note, quick ? 20 : 60);
    results.push({ sizeMb: size, corpus: corpusInfo, build, verify, fullCheckMs: check, ripgrepMs: rg, approximateScanMs: approx, lsp });
  }

  const output = { date: new Date().toISOString(), machine, quick, bundledStartToFirstDiagnosticsMs: stat(bundledStarts), results };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', quick ? 'quick.json' : 'latest.json'), `${JSON.stringify(output, null, 2)}\n`);

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
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
