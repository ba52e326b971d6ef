import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { resultsDir } from '../bench/results.js';
import { root } from './helpers.js';

test('the benchmark writes its results where git ignores them, and none are tracked', () => {
  const folder = relative(root, resultsDir(root));
  for (const name of ['latest.json', 'quick.json']) {
    const path = join(folder, name);
    assert.equal(spawnSync('git', ['check-ignore', '--quiet', '--no-index', path], { cwd: root }).status, 0, `git ignores ${path}`);
  }
  assert.equal(execFileSync('git', ['ls-files', '--', folder], { cwd: root, encoding: 'utf8' }), '', `nothing in ${folder} is tracked`);
});
