import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check, fixturesDir, root } from './helpers.js';

/**
 * Fixture notes state what they expect: an `<!-- expect: code, code -->`
 * comment right before a block names the codes that block must draw; a block
 * with no such comment must draw none. Every block is compared, so a fixture
 * also proves where Verbatim stays quiet.
 */
interface Block {
  firstLine: number;
  lastLine: number;
  expected: string[];
}

function blocksOf(text: string): Block[] {
  const lines = text.split(/\r\n|\n|\r/);
  const blocks: Block[] = [];
  let pending: string[] | undefined;
  let start = -1;
  let inFence = false;
  const close = (end: number): void => {
    if (start >= 0) blocks.push({ firstLine: start, lastLine: end, expected: pending ?? [] });
    start = -1;
    pending = undefined;
  };
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const expect = /^<!-- expect: ([\w\-, ]+?)(?: —.*)? -->$/.exec(line.trim());
    if (expect && !inFence) {
      close(i - 1);
      pending = expect[1].split(',').map((c) => c.trim());
      return;
    }
    if (line.trim() === '' && !inFence) close(i - 1);
    else if (start < 0) start = i;
  });
  close(lines.length - 1);
  return blocks;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

for (const path of [...markdownFiles(fixturesDir), ...markdownFiles(join(root, 'examples'))]) {
  test(`fixture ${relative(root, path)}`, () => {
    const text = readFileSync(path, 'utf8');
    const diagnostics = check(text);
    const blocks = blocksOf(text);
    const problems: string[] = [];
    for (const block of blocks) {
      const found = diagnostics
        .filter((d) => d.range.start.line >= block.firstLine && d.range.start.line <= block.lastLine)
        .map((d) => d.code)
        .sort();
      const expected = [...block.expected].sort();
      if (JSON.stringify(found) !== JSON.stringify(expected)) {
        problems.push(`lines ${block.firstLine + 1}-${block.lastLine + 1}: expected [${expected.join(',')}], got [${found.join(',')}]`);
      }
    }
    const covered = diagnostics.filter((d) => !blocks.some((b) => d.range.start.line >= b.firstLine && d.range.start.line <= b.lastLine));
    for (const d of covered) problems.push(`line ${d.range.start.line + 1}: ${d.code} outside any block`);
    assert.deepEqual(problems, []);
    assert.ok(blocks.some((b) => b.expected.length > 0) || path.includes('quiet'), 'a fixture expects at least one diagnostic');
  });
}
