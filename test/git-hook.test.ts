import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { root } from './paths.js';

// The README's plain git pre-commit hook, word for word, in a throwaway repository of notes: `verbatim` on the
// PATH is the built command line, as `npm install -g` would put it there. Git sends a hook's output to stderr.

/** The README's hook: the sh block after "a plain git hook does the same". */
function readmeHook(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.indexOf('a plain git hook does the same');
  assert.ok(section >= 0, 'the README has a plain git hook');
  const start = readme.indexOf('```sh\n', section);
  const end = readme.indexOf('\n```\n', start);
  return readme.slice(start + '```sh\n'.length, end + 1);
}

const cacheHome = mkdtempSync(join(tmpdir(), 'verbatim-hook-cache-'));

before(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
});

test("the README's pre-commit hook stops a commit whose staged note has an error, and lets a clean one through", () => {
  const repo = mkdtempSync(join(tmpdir(), 'verbatim-hook-'));
  const bin = join(repo, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'verbatim'), `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'bin', 'verbatim.js')}" "$@"\n`);
  chmodSync(join(bin, 'verbatim'), 0o755);
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CACHE_HOME: cacheHome, GIT_CONFIG_NOSYSTEM: '1', HOME: repo };
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  assert.equal(git('init', '-q').status, 0);
  git('config', 'user.email', 'writer@example.org');
  git('config', 'user.name', 'A Writer');
  writeFileSync(join(repo, '.git', 'hooks', 'pre-commit'), readmeHook());
  chmodSync(join(repo, '.git', 'hooks', 'pre-commit'), 0o755);
  cpSync(join(root, 'corpus'), join(repo, 'corpus'), { recursive: true });
  // A markdown file in the corpus is a source, not a note: the hook leaves it alone.
  writeFileSync(join(repo, 'corpus', 'draft.md'), 'A source that "cites nothing real" [@nobody].\n');
  git('add', 'corpus');
  assert.equal(git('commit', '-q', '-m', 'corpus').status, 0, 'a commit with no notes passes');

  mkdirSync(join(repo, 'notes'));
  writeFileSync(join(repo, 'notes', 'wrong source.md'), 'Moscow "has limited confidence in them" [@suchkov2021].\n');
  git('add', 'notes');
  const refused = git('commit', '-q', '-m', 'a wrong source');
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /^notes\/wrong source\.md:1:9 error quote-wrong-source Quotation is not in suchkov2021; it is in zochowski2021 ¶ 13$/mu);
  assert.equal(git('log', '--oneline').stdout.trim().split('\n').length, 1, 'nothing was committed');

  writeFileSync(join(repo, 'notes', 'wrong source.md'), 'Moscow "has limited confidence in them" [@zochowski2021].\n');
  git('add', 'notes');
  const accepted = git('commit', '-q', '-m', 'the right source');
  assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
  assert.match(accepted.stderr, /^1 note checked: 0 errors, 0 warnings, 0 information$/mu);
});
