import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { root } from './paths.js';

// A real Emacs (Debian's 28.2, with Debian's eglot 1.9 and markdown-mode) loads the README's eglot block word for
// word, starts the server through it, and test/emacs/drive.el uses the client as a writer would; what came back
// is written to JSON and checked here. `npm test` skips this when emacs is missing; .ci/run installs it and sets
// VERBATIM_REQUIRE_EMACS=1, so CI cannot skip it.

const version = spawnSync('emacs', ['--version'], { encoding: 'utf8' });
const emacsVersion = version.status === 0 ? version.stdout.split('\n')[0] : undefined;

/** The README's Emacs config: the first elisp block after the "### Emacs" heading. */
function readmeConfig(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf('\n### Emacs\n');
  assert.ok(section >= 0, 'the README has an Emacs section');
  const start = readme.indexOf('```elisp\n', section);
  const end = readme.indexOf('\n```\n', start);
  assert.ok(start >= 0 && end > start, 'the Emacs section holds an elisp block');
  return readme.slice(start + '```elisp\n'.length, end + 1);
}

interface EmacsDiagnostic {
  line: number;
  column: number;
  type: string;
  severity: number;
  text: string;
}

interface EmacsResults {
  error?: string;
  mode?: string;
  server?: string;
  diagnostics?: EmacsDiagnostic[];
  hover?: string;
  code_actions?: string[];
  fixed_line?: string;
}

const CLAIM = 'Taliban fighters captured 85 percent of the country in July 2021, the governor said.\n';

test(`Emacs (${emacsVersion ?? 'not installed'}) with the README's eglot block: diagnostics with the settings' severities, a hover, a quick fix applied`, { timeout: 120_000 }, (t) => {
  if (!emacsVersion) {
    assert.notEqual(process.env.VERBATIM_REQUIRE_EMACS, '1', 'VERBATIM_REQUIRE_EMACS=1 but emacs is not installed');
    t.skip('emacs is not installed (apt-get install -y emacs-nox elpa-eglot elpa-markdown-mode); CI installs it and runs this test');
    return;
  }
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  // The notes live in a git repository: eglot's project, whose root is the workspace folder holding corpus/.
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-emacs-'));
  execFileSync('git', ['init', '-q', folder]);
  cpSync(join(root, 'corpus'), join(folder, 'corpus'), { recursive: true });
  mkdirSync(join(folder, 'notes'));
  const note = join(folder, 'notes', 'example.md');
  writeFileSync(note, `${readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8')}\n${CLAIM}`);
  // `verbatim` on the PATH is the built command line, as `npm install -g` puts it there.
  const bin = join(folder, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'verbatim'), `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'bin', 'verbatim.js')}" "$@"\n`);
  chmodSync(join(bin, 'verbatim'), 0o755);
  const init = join(folder, 'init.el');
  writeFileSync(init, readmeConfig());
  const results = join(folder, 'results.json');

  const run = spawnSync('emacs', ['--batch', '-q', '-l', init, '-l', join(root, 'test', 'emacs', 'drive.el')], {
    cwd: join(folder, 'notes'),
    encoding: 'utf8',
    timeout: 110_000,
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      HOME: folder,
      XDG_CACHE_HOME: join(folder, '.cache'),
      VERBATIM_NOTE: note,
      VERBATIM_RESULTS: results,
      VERBATIM_EXPECTED: '10',
    },
  });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(readFileSync(results, 'utf8')) as EmacsResults;
  assert.equal(out.error, undefined, out.error);
  assert.equal(out.mode, 'markdown-mode');
  const diagnostics = out.diagnostics ?? [];
  // The same diagnostics the command line gives, each where it gives it.
  const cli = spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--format', 'json', '--severity', 'claim-uncited=hint', 'notes/example.md'], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: join(folder, '.cache') },
  });
  const expected = (JSON.parse(cli.stdout) as { files: { diagnostics: { code: string; range: { start: { line: number; character: number } } }[] }[] }).files[0].diagnostics;
  assert.equal(expected.length, 12);
  assert.deepEqual(
    diagnostics.map((d) => `${d.line}:${d.column} ${/\[([\w-]+)\]/u.exec(d.text)?.[1] ?? d.text}`),
    expected.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`),
  );
  // The settings reached the server: the README's config makes an uncited claim a hint (LSP severity 4).
  assert.deepEqual(diagnostics.filter((d) => d.text.includes('[claim-uncited]')).map((d) => d.severity), [4]);
  assert.match(diagnostics[0].text, /Quotation differs from korybko2021 ¶ 6: source has "kilometers", not "kilometres"/u);
  assert.match(out.hover ?? '', /^\*\*Changed\*\* — korybko2021 ¶ 6\n\nChanges \(quotation → source\):\n- ~~kilometres~~ → \*\*kilometers\*\*/u);
  assert.deepEqual(out.code_actions, ['Restore the source\'s wording: "kilometers"', 'Ignore this quotation']);
  assert.equal(out.fixed_line, 'Korybko places the Taliban "at most 50 kilometers away from the capital"');
});
