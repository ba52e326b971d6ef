import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './paths.js';

// A real Neovim (Debian's is 0.7.2) runs the README's init.lua word for word, starts the server through it, and
// test/neovim/drive.lua uses the client as a user would; what came back is written to JSON and checked here.
// `npm test` skips this when nvim is missing; .ci/run installs Neovim and sets VERBATIM_REQUIRE_NVIM=1, so CI cannot skip it.

const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const nvimVersion = version.status === 0 ? version.stdout.split('\n')[0] : undefined;

/** The README's Neovim config: the first lua block after the "### Neovim" heading. */
function readmeConfig(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf('\n### Neovim\n');
  assert.ok(section >= 0, 'the README has a Neovim section');
  const start = readme.indexOf('```lua\n', section);
  const end = readme.indexOf('\n```\n', start);
  assert.ok(start >= 0 && end > start, 'the Neovim section holds a lua block');
  return readme.slice(start + '```lua\n'.length, end + 1);
}

interface NeovimDiagnostic {
  code: string;
  lnum: number;
  col: number;
  severity: number;
  message: string;
}

interface NeovimResults {
  error?: string;
  filetype?: string;
  diagnostics?: NeovimDiagnostic[];
  hover?: string;
  completion?: string[];
  unicode_diagnostics?: NeovimDiagnostic[];
  code_actions?: string[];
  fixed_line?: string;
  diagnostics_after_fix?: NeovimDiagnostic[] | Record<string, never>;
  own_diagnostics?: NeovimDiagnostic[];
  own_hover?: string;
  own_completion?: string[];
  own_after_edit?: NeovimDiagnostic[];
}

const UNICODE_NOTE = 'Żochowski 👍🏽 and Korybko place the Taliban "at most 50 kilometres away from the capital" [@korybko2021, ¶ 6].\n';

const OWN_NOTE = '---\ntitle: Gul\nbibliography: refs/own.bib\n---\n\nGul writes that "Moscow has downplayed worries about the dramatic insurgent advances" [@gul-own].\n';

test(`Neovim (${nvimVersion ?? 'not installed'}) with the README's init.lua: diagnostics, a hover, completion after [@, a quick fix applied, a front-matter bibliography`, { timeout: 120_000 }, async (t) => {
  if (!nvimVersion) {
    assert.notEqual(process.env.VERBATIM_REQUIRE_NVIM, '1', 'VERBATIM_REQUIRE_NVIM=1 but nvim is not installed');
    t.skip('nvim is not installed (apt-get install -y neovim); CI installs it and runs this test');
    return;
  }
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-nvim-'));
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  const example = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  writeFileSync(join(folder, 'notes', 'example.md'), example);
  writeFileSync(join(folder, 'notes', 'unicode.md'), UNICODE_NOTE);
  // A note with a bibliography of its own in its front matter; the entry's text is the file named by its key beside the .bib.
  mkdirSync(join(folder, 'notes', 'refs'));
  cpSync(join(root, 'corpus', 'gul2021.txt'), join(folder, 'notes', 'refs', 'gul-own.txt'));
  writeFileSync(join(folder, 'notes', 'refs', 'own.bib'), '@article{gul-own,\n  title = {Why Does Russia See No Problem with Taliban Victories?},\n  author = {Gul, Imtiaz},\n}\n');
  writeFileSync(join(folder, 'notes', 'own.md'), OWN_NOTE);
  // Neovim's own state (shada, its LSP log) goes to a folder of its own, never the user's.
  const home = join(folder, '.nvim');
  mkdirSync(home);
  const init = join(home, 'init.lua');
  writeFileSync(init, readmeConfig());
  const out = join(home, 'results.json');

  const nvim = spawn('nvim', ['--headless', '-i', 'NONE', '-u', init, '-c', `luafile ${join(root, 'test', 'neovim', 'drive.lua')}`], {
    cwd: folder,
    env: {
      ...process.env,
      VERBATIM_DIR: root,
      VERBATIM_NVIM_OUT: out,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_STATE_HOME: join(home, 'state'),
      XDG_CACHE_HOME: join(home, 'cache'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nvim.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => nvim.on('exit', resolve));
  assert.equal(status, 0, `nvim exited with ${status}: ${stderr}`);
  const results = JSON.parse(readFileSync(out, 'utf8')) as NeovimResults;
  assert.equal(results.error, undefined, `the Lua driver failed: ${results.error}`);
  assert.equal(results.filetype, 'markdown');

  // The same diagnostics as the CLI, at the same places (Neovim's columns are bytes, the CLI's UTF-16 units).
  const cli = JSON.parse(
    spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--format', 'json', '--corpus', join(folder, 'corpus'), join(folder, 'notes', 'example.md')], { encoding: 'utf8' }).stdout,
  ) as { files: { diagnostics: { code: string; message: string; range: { start: { line: number; character: number } } }[] }[] };
  const lines = example.split('\n');
  const expected = cli.files[0].diagnostics.map((d) => ({
    code: d.code,
    lnum: d.range.start.line,
    col: Buffer.byteLength(lines[d.range.start.line].slice(0, d.range.start.character)),
    message: d.message,
  }));
  assert.ok(expected.length > 0);
  assert.deepEqual(results.diagnostics?.map(({ code, lnum, col, message }) => ({ code, lnum, col, message })), expected);

  assert.match(results.hover ?? '', /^\*\*Changed\*\* — korybko2021 ¶ 6/);
  assert.match(results.hover ?? '', /~~kilometres~~ → \*\*kilometers\*\*/);
  assert.deepEqual([...(results.completion ?? [])].sort(), ['anon2021', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);

  assert.deepEqual(results.unicode_diagnostics?.map((d) => d.code), ['quote-mismatch']);
  assert.deepEqual(results.code_actions, ['Restore the source\'s wording: "kilometers"', 'Ignore this quotation']);
  assert.equal(results.fixed_line, UNICODE_NOTE.trimEnd().replace('kilometres', 'kilometers'));
  // An empty Lua table comes out of json_encode as [].
  assert.deepEqual(results.diagnostics_after_fix, []);

  // The front-matter note sees its own source beside the corpus.
  assert.deepEqual(results.own_diagnostics?.map((d) => [d.code, d.lnum, d.message]), [['quote-mismatch', 5, 'Quotation differs from gul-own ¶ 2: source has "concerns", not "worries"']]);
  assert.match(results.own_hover ?? '', /Why Does Russia See No Problem with Taliban Victories\?/);
  assert.deepEqual([...(results.own_completion ?? [])].sort(), ['anon2021', 'gul-own', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);
  // Its bibliography renamed to a missing file in the buffer: the front matter says so, and the key is unknown.
  const afterEdit = results.own_after_edit?.map((d) => [d.code, d.lnum]);
  assert.deepEqual(afterEdit, [['corpus-error', 2], ['unknown-source', 5]]);
  assert.match(results.own_after_edit?.[0].message ?? '', /^Bibliography refs\/missing\.bib not found/);
});
