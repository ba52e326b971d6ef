import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { root } from './paths.js';

// `verbatim mcp` as an assistant meets it: the SDK's own client starts the built command over stdio and speaks
// the protocol to it — tools listed and called on the seed quotations, sources listed and read as resources.

interface Passage {
  key: string;
  locator: string;
  citation: string;
  words: string;
  passage: string;
  source: { key: string; title?: string; authors: string[] };
  match?: string;
}

interface Verification {
  verdict: string;
  verified: boolean;
  problems: { code: string; severity: string; message: string; fixes: string[] }[];
  found?: Passage;
  changes?: { quotation: string; source: string }[];
  nearest?: Passage;
}

const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-mcp-cache-'));
let client: Client;

before(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  client = new Client({ name: 'verbatim-test', version: '1.0.0' });
  const env = Object.fromEntries(Object.entries({ ...process.env, XDG_CACHE_HOME: cacheHome }).filter((e): e is [string, string] => e[1] !== undefined));
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(root, 'bin', 'verbatim.js'), 'mcp', '--corpus', 'corpus'], cwd: root, env, stderr: 'pipe' }));
});

after(async () => {
  await client.close();
});

/** A tool's structured result (the same object its text content holds as JSON). */
async function call<T>(name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  assert.notEqual(result.isError, true, JSON.stringify(result.content));
  const [content] = result.content;
  assert.equal(content.type, 'text');
  assert.deepEqual(JSON.parse(content.type === 'text' ? content.text : ''), result.structuredContent);
  return result.structuredContent as T;
}

describe('verbatim mcp', () => {
  test('names itself and lists its three tools, each with an input schema', async () => {
    assert.equal(client.getServerVersion()?.name, 'verbatim');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['check_note', 'find_passage', 'verify_quote']);
    const verify = tools.find((t) => t.name === 'verify_quote');
    assert.deepEqual(verify?.inputSchema.required, ['words']);
    assert.deepEqual(Object.keys(verify?.inputSchema.properties ?? {}).sort(), ['key', 'locator', 'words']);
    assert.equal(verify?.annotations?.readOnlyHint, true);
  });

  test('verify_quote: words verbatim at the cited paragraph are verified, with the passage that holds them', async () => {
    const result = await call<Verification>('verify_quote', { words: 'We will get around Kabul like an anaconda.', key: 'korybko2021' });
    assert.equal(result.verdict, 'verbatim');
    assert.equal(result.verified, true);
    assert.deepEqual(result.problems, []);
    assert.equal(result.found?.key, 'korybko2021');
    assert.match(result.found?.passage ?? '', /We will get around Kabul like an anaconda/u);
    assert.equal(result.found?.citation, `[@korybko2021, ${result.found?.locator}]`);
  });

  test('verify_quote: changed words get the diff, the source wording and the fix', async () => {
    const result = await call<Verification>('verify_quote', { words: 'at most 50 kilometres away from the capital', key: 'korybko2021', locator: '¶ 6' });
    assert.equal(result.verdict, 'changed');
    assert.equal(result.verified, false);
    assert.deepEqual(result.changes, [{ quotation: 'kilometres', source: 'kilometers' }]);
    assert.equal(result.found?.words, 'at most 50 kilometers away from the capital');
    assert.equal(result.found?.locator, '¶ 6');
    assert.deepEqual(
      result.problems.map((p) => [p.code, p.message, p.fixes]),
      [['quote-mismatch', 'Quotation differs from korybko2021 ¶ 6: source has "kilometers", not "kilometres"', ['Restore the source\'s wording: "kilometers"']]],
    );
  });

  test('verify_quote: words from another source name the right key and locator', async () => {
    const result = await call<Verification>('verify_quote', { words: 'has limited confidence in them', key: 'suchkov2021' });
    assert.equal(result.verdict, 'other-source');
    assert.equal(result.verified, false);
    assert.equal(result.found?.key, 'zochowski2021');
    assert.equal(result.found?.locator, '¶ 13');
    assert.equal(result.found?.citation, '[@zochowski2021, ¶ 13]');
    assert.equal(result.problems[0].code, 'quote-wrong-source');
  });

  test('verify_quote: a wrong paragraph is a locator mismatch with the right one', async () => {
    const result = await call<Verification>('verify_quote', { words: 'under the Taliban’s protection since 16 August', key: 'zochowski2021', locator: '¶ 3' });
    assert.equal(result.verdict, 'verbatim');
    assert.equal(result.verified, false);
    assert.deepEqual(result.problems.map((p) => p.code), ['locator-mismatch']);
    assert.equal(result.found?.locator, '¶ 5');
  });

  test('verify_quote: words in no source are not found; without a key, found words say where they are from', async () => {
    const missing = await call<Verification>('verify_quote', { words: 'a purely internal matter', key: 'gul2021' });
    assert.equal(missing.verdict, 'not-found');
    assert.equal(missing.verified, false);
    assert.equal(missing.found, undefined);
    assert.equal(missing.problems[0].code, 'quote-not-found');

    const uncited = await call<Verification>('verify_quote', { words: 'all obligations and all dangers have been left to us' });
    assert.equal(uncited.verdict, 'found');
    assert.equal(uncited.verified, true);
    assert.deepEqual(uncited.problems, []);
    assert.equal(uncited.found?.citation, '[@anon2021, ¶ 14]');
  });

  test('verify_quote: an unknown key is its own verdict, with the closest key as the fix', async () => {
    const result = await call<Verification>('verify_quote', { words: 'has limited confidence in them', key: 'suchkow2021' });
    assert.equal(result.verdict, 'unknown-source');
    assert.deepEqual(result.problems.map((p) => p.code), ['unknown-source']);
    assert.match(result.problems[0].message, /did you mean "suchkov2021"/u);
    assert.match(result.problems[0].fixes[0], /suchkov2021/u);
    // The words are looked up anyway: they are Żochowski's.
    assert.equal(result.found?.citation, '[@zochowski2021, ¶ 13]');
  });

  test('find_passage: the passage that holds the words comes first, then related paragraphs', async () => {
    const { passages } = await call<{ passages: Passage[] }>('find_passage', { words: 'has limited confidence in them', limit: 3 });
    assert.deepEqual([passages[0].key, passages[0].locator, passages[0].match, passages[0].words], ['zochowski2021', '¶ 13', 'verbatim', 'has limited confidence in them']);
    // Only one other paragraph shares "limited" and "confidence"; the rest of the words are too common to rank by.
    assert.deepEqual(passages.slice(1).map((p) => [p.key, p.locator, p.match]), [['suchkov2021', '¶ 11', 'related']]);
    const paraphrase = await call<{ passages: Passage[] }>('find_passage', { words: 'the Russian embassy in Kabul stayed open, protected by the Taliban', limit: 3 });
    assert.equal(paraphrase.passages.length, 3);
    assert.ok(paraphrase.passages.every((p) => p.match === 'related'));
    const embassy = paraphrase.passages.find((p) => p.key === 'zochowski2021');
    assert.equal(embassy?.citation, '[@zochowski2021, ¶ 5]');
    assert.match(embassy?.passage ?? '', /has not closed its embassy in Kabul/u);
  });

  test('check_note: a markdown note in, the diagnostics of verbatim check out, with 1-based places and fixes', async () => {
    const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
    const { diagnostics } = await call<{ diagnostics: { code: string; line: number; column: number; fixes: { newText: string }[] }[] }>('check_note', { markdown: note });
    const cli = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--corpus', 'corpus', '--format', 'json', 'examples/russia-and-the-taliban.md'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    });
    const report = JSON.parse(cli.stdout) as { files: { diagnostics: { code: string; range: { start: { line: number; character: number } } }[] }[] };
    assert.deepEqual(
      diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`),
      report.files[0].diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`),
    );
    assert.equal(diagnostics.length, 11);
    assert.equal(diagnostics.find((d) => d.code === 'quote-mismatch')?.fixes[0].newText, 'kilometers');
  });

  test('the sources are resources: listed with their titles, read as their text', async () => {
    const { resources } = await client.listResources();
    assert.deepEqual(resources.map((r) => r.name).sort(), ['anon2021', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);
    const korybko = resources.find((r) => r.name === 'korybko2021');
    assert.equal(korybko?.uri, 'verbatim-source://source/korybko2021');
    assert.ok(korybko?.title, 'the bibliography gives a title');
    const { contents } = await client.readResource({ uri: 'verbatim-source://source/korybko2021' });
    assert.equal(contents.length, 1);
    assert.equal('text' in contents[0] ? contents[0].text : undefined, readFileSync(join(root, 'corpus', 'korybko2021.txt'), 'utf8'));
    await assert.rejects(client.readResource({ uri: 'verbatim-source://source/nobody2021' }), /No source "nobody2021"/u);
  });

  test('bad arguments are tool errors, and the server keeps serving', async () => {
    const missing = (await client.callTool({ name: 'verify_quote', arguments: { key: 'korybko2021' } })) as CallToolResult;
    assert.equal(missing.isError, true);
    assert.match(JSON.stringify(missing.content), /words/u);
    const empty = (await client.callTool({ name: 'verify_quote', arguments: { words: '   ' } })) as CallToolResult;
    assert.equal(empty.isError, true);
    assert.match(JSON.stringify(empty.content), /words is empty/u);
    const badKey = (await client.callTool({ name: 'verify_quote', arguments: { words: 'in them', key: 'two words' } })) as CallToolResult;
    assert.equal(badKey.isError, true);
    assert.match(JSON.stringify(badKey.content), /is not a citation key/u);
    const badLimit = (await client.callTool({ name: 'find_passage', arguments: { words: 'Kabul', limit: 0 } })) as CallToolResult;
    assert.equal(badLimit.isError, true);
    const still = await call<Verification>('verify_quote', { words: 'We will get around Kabul like an anaconda.', key: 'korybko2021' });
    assert.equal(still.verified, true);
  });
});

describe('verbatim mcp on the command line', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'mcp', ...args], { cwd: root, encoding: 'utf8', input: '' });

  test('--help says what it serves; a missing corpus or an archive URL is a usage error, exit 2, with nothing on stdout', () => {
    const help = run('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /verbatim mcp \[--corpus DIR\]/u);
    const missing = run('--corpus', 'no-such-folder');
    assert.equal(missing.status, 2);
    assert.equal(missing.stdout, '');
    assert.equal(missing.stderr, 'verbatim: Corpus folder not found: no-such-folder\nRun "verbatim mcp --help" for its options.\n');
    const archive = run('--corpus', 'postgres://localhost/notes');
    assert.equal(archive.status, 2);
    assert.match(archive.stderr, /verbatim mcp reads a corpus folder/u);
    assert.match(run('--corpsu', 'corpus').stderr, /Unknown option --corpsu; did you mean --corpus\?/u);
  });
});
