import { after, before, test } from 'node:test';
import { statsRequest } from '../server/src/lsp/protocol.js';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CodeAction, CompletionItem, Hover, Position } from 'vscode-languageserver-protocol';
import { checkNote } from '../server/src/engine/check.js';
import { bundledCorpus, claimChecker, root } from './helpers.js';
import { LspTestClient, uriOf } from './lsp-client.js';

/** `npm test` types 10,000 edits; `npm run fuzz` sets LSP_EDITS higher. */
const EDITS = Number(process.env.LSP_EDITS ?? 10_000);
let client: LspTestClient;
let folder: string;

before(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  folder = mkdtempSync(join(tmpdir(), 'verbatim-session-'));
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  client = LspTestClient.start(['--expose-gc', join(root, 'dist', 'server.js'), '--stdio']);
  client.settings = { debounceMs: 5 };
  await client.initialize(folder);
});

after(async () => {
  await client.stop();
});

const PIECES = ['"', '“', '”', '[@korybko2021', ', ¶ 2]', ']', '@gul2021 ', 'the Taliban ', 'Moscow kept its embassy open. ', '\n', '\n\n', '> ', 'é', '👍🏽', '\r\n', '<!-- verbatim-disable -->', '`'];

test(`a long session: ${EDITS} random edits, requests answered throughout, final diagnostics equal a fresh check`, { timeout: 600_000 }, async () => {
  const notePath = join(folder, 'notes', 'session.md');
  const uri = uriOf(notePath);
  const start = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  await client.open(notePath, start);
  const stats = () => client.connection.sendRequest(statsRequest);
  const startStats = await stats();
  const edits = fc.sample(
    fc.record({ at: fc.nat(), length: fc.nat({ max: 12 }), piece: fc.constantFrom(...PIECES), kind: fc.constantFrom('insert', 'delete', 'replace') }),
    { seed: 7004, numRuns: EDITS },
  );
  let answered = 0;
  const positionAt = (offset: number): Position => {
    const before = client.text(uri).slice(0, offset).split(/\r\n|\n|\r/u);
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  for (let i = 0; i < edits.length; i++) {
    const { at, length, piece, kind } = edits[i];
    const text = client.text(uri);
    // Keep the note between one and forty thousand characters, and never split a surrogate pair or a CRLF.
    let from = at % (text.length + 1);
    while (from > 0 && (/[\udc00-\udfff]/u.test(text[from] ?? '') || (text[from] === '\n' && text[from - 1] === '\r'))) from--;
    let to = kind === 'insert' || text.length < 1000 ? from : Math.min(text.length, from + length);
    while (to < text.length && (/[\udc00-\udfff]/u.test(text[to] ?? '') || (text[to] === '\n' && text[to - 1] === '\r'))) to++;
    const newText = kind === 'delete' && text.length > 1000 ? '' : text.length > 40_000 ? '' : piece;
    await client.type(uri, [{ range: { start: positionAt(from), end: positionAt(to) }, newText }]);
    if (i % 250 === 0) {
      // Requests in the middle of typing must all be answered.
      const position = positionAt(Math.min(from, client.text(uri).length));
      const [hover, completion, actions] = await Promise.all([
        client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position }),
        client.connection.sendRequest<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position }),
        client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }),
      ]);
      assert.ok(hover === null || typeof hover === 'object');
      assert.ok(completion === null || Array.isArray(completion));
      assert.ok(Array.isArray(actions));
      answered++;
    }
  }
  const finalVersion = edits.length + 1;
  const last = client.diagnostics.seen.filter((d) => d.uri === uri).at(-1);
  const published = last?.version === finalVersion ? last : await client.diagnostics.next((d) => d.uri === uri && d.version === finalVersion);
  // The server reads claims too: the fresh check does, with the same tagger.
  const fresh = checkNote(bundledCorpus(), client.text(uri), { checker: claimChecker() }).diagnostics;
  assert.deepEqual(
    published.diagnostics.map((d) => [d.code, d.range, d.message]),
    fresh.map((d) => [d.code, d.range, d.message]),
  );
  const endStats = await stats();
  const mb = (n: number): string => `${(n / 1e6).toFixed(0)} MB`;
  console.log(
    `long session: ${edits.length} edits, ${answered} request rounds answered; server RSS ${mb(startStats.rss)} at start, ${mb(endStats.rss)} at the end; live heap after collection ${mb(startStats.heapUsed)} → ${mb(endStats.heapUsed)}`,
  );
  // What stays alive is bounded by the caches (unit results, judgements), not by the number of edits.
  assert.ok(endStats.heapUsed < startStats.heapUsed + 120e6, `live heap stays bounded: ${mb(startStats.heapUsed)} → ${mb(endStats.heapUsed)}`);
});
