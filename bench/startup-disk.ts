// Start to first diagnostics with the index on disk: a server on a corpus folder (argument 1, default the 50 MB
// benchmark corpus) and the example note, first with an empty storage folder (cold), then with the index it left
// (warm). Split into process start and initialize, corpus loaded, and the note's first diagnostics.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient } from '../test/lsp-client.js';

async function start(root: string, corpus: string, storage: string, note: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-startup-'));
  const notePath = join(folder, 'note.md');
  writeFileSync(notePath, note);
  const t0 = performance.now();
  const client = LspTestClient.start([join(root, 'dist', 'server.js'), '--stdio']);
  client.settings = { debounceMs: 0, corpus };
  const status = client.status.next(() => true);
  await client.handshake(folder, { initializationOptions: { storagePath: storage } });
  const t1 = performance.now();
  await status;
  const t2 = performance.now();
  await client.open(notePath, note);
  const t3 = performance.now();
  await client.stop();
  return `initialize ${(t1 - t0).toFixed(0)} ms, corpus ${(t2 - t1).toFixed(0)} ms, first diagnostics ${(t3 - t2).toFixed(0)} ms, total ${(t3 - t0).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const corpus = process.argv[2] ?? join(root, '.cache', 'bench', 'corpus-50mb');
  const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  const storage = mkdtempSync(join(tmpdir(), 'verbatim-storage-'));
  console.log(`cold: ${await start(root, corpus, storage, note)}`);
  for (let r = 0; r < 3; r++) console.log(`warm: ${await start(root, corpus, storage, note)}`);
}
void main();
