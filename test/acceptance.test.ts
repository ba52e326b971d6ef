import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, sharedDir, sharedSkip } from './helpers.js';

// The labelled acceptance notes live beside the project (../shared/acceptance), not in it.
test('the acceptance notes score every label, with nothing unlabelled', { skip: sharedSkip }, () => {
  const run = spawnSync(process.execPath, [join(sharedDir, 'acceptance', 'score.mjs'), root], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  const summary = run.stdout.trim().split('\n').pop() ?? '';
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(summary, /^acceptance: (\d+)\/\1 labels right, 0 unlabelled diagnostics/u);
});
