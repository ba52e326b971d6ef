// Where the time to first diagnostics goes: spawn → initialize answered → corpus loaded → first diagnostics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { LspTestClient } from '../test/lsp-client.js';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  const t0 = performance.now();
  const client = LspTestClient.start([join(root, 'dist', 'server.js'), '--stdio']);
  client.settings = { debounceMs: 0 };
  const status = client.status.next(() => true);
  await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: URI.file(root).toString(), workspaceFolders: [{ uri: URI.file(root).toString(), name: 'r' }], capabilities: { workspace: { configuration: true } } });
  const t1 = performance.now();
  await client.connection.sendNotification('initialized', {});
  await status;
  const t2 = performance.now();
  await client.open(join(root, 'examples', 'russia-and-the-taliban.md'), note);
  const t3 = performance.now();
  console.log(`initialize ${(t1 - t0).toFixed(0)} ms, corpus ${(t2 - t1).toFixed(0)} ms, first diagnostics ${(t3 - t2).toFixed(0)} ms, total ${(t3 - t0).toFixed(0)} ms`);
  await client.stop();
}
void main();
