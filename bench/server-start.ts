import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspTestClient, uriOf } from '../test/lsp-client.js';

/** A language server started on a corpus, with one note open. */
export interface StartedServer {
  readonly client: LspTestClient;
  /** The folder the note was written to (the server's workspace). */
  readonly folder: string;
  readonly uri: string;
  /** From spawning the server to the note's first diagnostics. */
  readonly startToFirstDiagnosticsMs: number;
}

/**
 * Starts the bundled server (`dist/server.js` under `root`) on the corpus and opens the note: start to first
 * diagnostics. The server keeps its index in `storage`: an empty folder is a cold start, one used before warm.
 * Its per-user cache folder (V8's code cache) is `cacheHome`, by default one beside `storage`, so that every
 * start after the first finds the code cache, as an editor's does.
 */
export async function startServerWithNote(root: string, corpusDir: string, note: string, storage: string, cacheHome = `${storage}-cache-home`): Promise<StartedServer> {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-bench-'));
  const notePath = join(folder, 'note.md');
  writeFileSync(notePath, note);
  const started = performance.now();
  mkdirSync(cacheHome, { recursive: true });
  const client = LspTestClient.start([join(root, 'dist', 'server.js'), '--stdio'], cacheHome);
  client.settings = { debounceMs: 0, corpus: corpusDir };
  const status = client.status.next(() => true);
  await client.initialize(folder, { initializationOptions: { storagePath: storage } });
  const loaded = await status;
  if (loaded.sources === 0) throw new Error(`the server found no corpus at ${corpusDir}: ${loaded.error ?? ''}`);
  await client.open(notePath, note);
  return { client, folder, uri: uriOf(notePath), startToFirstDiagnosticsMs: performance.now() - started };
}
