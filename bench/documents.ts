// Documents in the corpus: how fast their text is extracted, and what the extraction cache saves at start-up.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { extractDocument } from '../server/src/engine/corpus/extract/index.js';

interface Timing {
  median: number;
  p95: number;
  n: number;
}

type StatOf = (samples: number[]) => Timing;

/** Real PDFs from Debian's documentation packages where installed, and the test PDFs printed by Chromium and LibreOffice. */
function samplePdfs(root: string): string[] {
  const debian = ['/usr/share/doc/libtasn1-doc/libtasn1.pdf', '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf'].filter((path) => existsSync(path));
  const fixtures = join(root, 'test', 'fixtures', 'sources');
  const printed = ['korybko2021-news.pdf', 'zochowski2021-journal.pdf', 'suchkov2021-libreoffice.pdf'].map((name) => join(fixtures, name));
  return [...debian, ...printed];
}

/** MB of PDF (or of HTML) per second, each document extracted `reps` times in this process after one warm-up. */
export async function extractionSpeed(root: string, reps: number, stat: StatOf): Promise<{ document: string; bytes: number; ms: Timing; mbPerSecond: number }[]> {
  const fixtures = join(root, 'test', 'fixtures', 'sources');
  const documents = [...samplePdfs(root), join(fixtures, 'korybko2021.html'), join(fixtures, 'gul2021.html')];
  const rows = [];
  for (const path of documents) {
    const bytes = readFileSync(path);
    const format = path.endsWith('.pdf') ? 'pdf' : 'html';
    await extractDocument(format, bytes);
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const start = performance.now();
      await extractDocument(format, bytes);
      times.push(performance.now() - start);
    }
    const ms = stat(times);
    rows.push({ document: basename(path), bytes: bytes.length, ms, mbPerSecond: bytes.length / 1e6 / (ms.median / 1000) });
  }
  return rows;
}

/**
 * `verbatim check` on a note citing every document, in a fresh process: with
 * an empty cache (every document extracted) and with the cache the first run
 * left (none extracted).
 */
export function cacheEffect(root: string, reps: number, stat: StatOf): { documents: number; megabytes: number; coldMs: Timing; warmMs: Timing } {
  const corpus = mkdtempSync(join(tmpdir(), 'verbatim-bench-documents-'));
  for (const path of samplePdfs(root)) copyFileSync(path, join(corpus, basename(path)));
  const note = join(mkdtempSync(join(tmpdir(), 'verbatim-bench-note-')), 'note.md');
  const keys = readdirSync(corpus).map((name) => name.replace(/\.[^.]+$/u, ''));
  writeFileSync(note, keys.map((key) => `A claim worth a citation [@${key}].\n`).join('\n'));
  const run = (cache: string): number => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--corpus', corpus, note], { env: { ...process.env, XDG_CACHE_HOME: cache }, encoding: 'utf8' });
    if (result.status !== 0 && result.status !== 1) throw new Error(`verbatim check failed: ${result.stderr}`);
    return performance.now() - start;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < reps; r++) {
    const cache = mkdtempSync(join(tmpdir(), 'verbatim-bench-cache-'));
    cold.push(run(cache));
    warm.push(run(cache));
  }
  const megabytes = readdirSync(corpus).reduce((n, name) => n + statSync(join(corpus, name)).size, 0) / 1e6;
  return { documents: keys.length, megabytes, coldMs: stat(cold), warmMs: stat(warm) };
}
