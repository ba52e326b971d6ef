import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lsp-client.js';
import { corpusDir, root } from './helpers.js';

const LIMIT = { timeout: 120_000 };
const NOTE = 'Korybko places the Taliban "at most 50 kilometres away from the capital" [@korybko2021, ¶ 6].\n\nThe Taliban captured over half of Afghanistan’s regional capitals in a single week.\n';

const EDITOR_START = [join(root, 'dist', 'server.js'), '--stdio'];
const CLI_START = [join(root, 'bin', 'verbatim.js'), 'lsp', '--stdio'];

/** Starts the server (by default `dist/server.js`, what VS Code starts) with the cache folder given, opens the note, and stops: its diagnostics. */
async function session(cacheHome: string, args = EDITOR_START): Promise<PublishDiagnosticsParams> {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-code-cache-'));
  cpSync(corpusDir, join(folder, 'corpus'), { recursive: true });
  const client = LspTestClient.start(args, cacheHome);
  try {
    client.settings = { debounceMs: 0 };
    await client.handshake(folder);
    const published = await client.open(join(folder, 'note.md'), NOTE);
    // Compared across sessions: the note's own folder differs.
    return { ...published, uri: '' };
  } finally {
    await client.stop();
  }
}

function cacheFiles(cacheHome: string): string[] {
  try {
    return readdirSync(join(cacheHome, 'verbatim', 'code'));
  } catch {
    return [];
  }
}

describe('the server’s code cache', () => {
  test('the first session writes it, the next reads it (and leaves it), with the same diagnostics', LIMIT, async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-cache-home-'));
    const first = await session(cacheHome);
    const written = cacheFiles(cacheHome);
    assert.equal(written.length, 1, `cache files: ${written.join(', ')}`);
    assert.match(written[0], new RegExp(`^language-server-\\d+-\\d+-${process.versions.v8.replace(/\./gu, '\\.')}-${process.arch}\\.bin$`, 'u'));
    const path = join(cacheHome, 'verbatim', 'code', written[0]);
    const { mtimeMs, size } = statSync(path);
    assert.ok(size > 100_000, `${size} bytes`);
    assert.ok(first.diagnostics.some((d) => d.code === 'quote-mismatch') && first.diagnostics.some((d) => d.code === 'claim-uncited'), JSON.stringify(first.diagnostics));

    const second = await session(cacheHome);
    assert.deepEqual(second, first);
    // Accepted: a session that finds a cache it can use does not write it again.
    assert.deepEqual(cacheFiles(cacheHome), written);
    assert.equal(statSync(path).mtimeMs, mtimeMs);
  });

  test('`verbatim lsp` (what other editors start) writes and reads the same cache as dist/server.js', LIMIT, async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-cache-home-'));
    const fromCli = await session(cacheHome, CLI_START);
    const written = cacheFiles(cacheHome);
    assert.equal(written.length, 1, `cache files: ${written.join(', ')}`);
    const path = join(cacheHome, 'verbatim', 'code', written[0]);
    const { mtimeMs } = statSync(path);
    assert.deepEqual(await session(cacheHome, EDITOR_START), fromCli);
    assert.deepEqual(await session(cacheHome, CLI_START), fromCli);
    // Both found the cache the first wrote and used it: neither wrote it again.
    assert.equal(statSync(path).mtimeMs, mtimeMs);
    assert.deepEqual(cacheFiles(cacheHome), written);
  });

  test('a damaged cache is rejected, the server runs as without one, and the cache is written afresh', LIMIT, async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-cache-home-'));
    const expected = await session(cacheHome);
    const [name] = cacheFiles(cacheHome);
    const path = join(cacheHome, 'verbatim', 'code', name);
    const good = readFileSync(path);
    const damaged = Buffer.from(good);
    for (let at = 64; at < damaged.length; at += 997) damaged[at] ^= 0xff;
    writeFileSync(path, damaged);

    assert.deepEqual(await session(cacheHome), expected);
    assert.ok(!readFileSync(path).equals(damaged), 'the damaged cache was left in place');
    assert.deepEqual(cacheFiles(cacheHome), [name]);
  });
});
