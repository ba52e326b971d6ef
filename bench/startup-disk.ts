// Start to first diagnostics with the index on disk: a server on a corpus folder (argument 1, default the 50 MB
// benchmark corpus) and the example note, first with an empty storage folder (cold), then with the index it left
// (warm). Split into process start and initialize, corpus loaded, and the note's first diagnostics, with the
// server process's CPU time at each point (on a shared machine, wall time is mostly the wait for a core).
// `--runs N` sets the number of warm starts (3); `--storage DIR` reuses a storage folder (a warm start at once);
// `--cache-home DIR` is the server's per-user cache folder (V8's code cache; by default a new folder that every
// start of this run shares, so a start after the first finds the code cache); node flags after `--` go to the
// server process (e.g. `-- --cpu-prof --cpu-prof-dir=/tmp/prof`).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient } from '../test/lsp-client.js';

/** The CPU time (user + system, every thread) a running process has used, from /proc (Linux only; else NaN). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name; in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

async function start(root: string, corpus: string, storage: string, cacheHome: string, note: string, nodeFlags: string[]): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-startup-'));
  const notePath = join(folder, 'note.md');
  writeFileSync(notePath, note);
  const t0 = performance.now();
  const client = LspTestClient.start([...nodeFlags, join(root, 'dist', 'server.js'), '--stdio'], cacheHome);
  const pid = client.process.pid;
  client.settings = { debounceMs: 0, corpus };
  const status = client.status.next(() => true);
  await client.handshake(folder, { initializationOptions: { storagePath: storage } });
  const t1 = performance.now();
  const c1 = cpuMs(pid);
  await status;
  const t2 = performance.now();
  const c2 = cpuMs(pid);
  await client.open(notePath, note);
  const t3 = performance.now();
  const c3 = cpuMs(pid);
  await client.stop();
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  return (
    `initialize ${ms(t1 - t0)} (CPU ${ms(c1)}), corpus ${ms(t2 - t1)} (CPU ${ms(c2 - c1)}), ` +
    `first diagnostics ${ms(t3 - t2)} (CPU ${ms(c3 - c2)}), total ${ms(t3 - t0)} (CPU ${ms(c3)})`
  );
}

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const args = process.argv.slice(2);
  const dashes = args.indexOf('--');
  const nodeFlags = dashes >= 0 ? args.splice(dashes).slice(1) : [];
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const runs = Number(option('--runs') ?? 3);
  const given = option('--storage');
  const cacheHome = option('--cache-home') ?? mkdtempSync(join(tmpdir(), 'verbatim-cache-home-'));
  const corpus = args[0] ?? join(root, '.cache', 'bench', 'corpus-50mb');
  const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  const storage = given ?? mkdtempSync(join(tmpdir(), 'verbatim-storage-'));
  if (!given) console.log(`cold: ${await start(root, corpus, storage, cacheHome, note, [])}`);
  for (let r = 0; r < runs; r++) console.log(`warm: ${await start(root, corpus, storage, cacheHome, note, nodeFlags)}`);
}
void main();
