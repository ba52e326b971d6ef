/**
 * The differential test against Pandoc: for every case (test/pandoc/cases.ts)
 * the citation keys Verbatim reads equal the `Cite` ids of
 * `pandoc -f markdown -t json`, in order, and each citation's range covers
 * exactly its `@key` or `@{key}` — except the documented differences, which
 * are checked to be exactly what they are said to be.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readNote } from '../server/src/engine/check.js';
import { NoteSources } from '../server/src/engine/corpus/note-sources.js';
import { batchDocument, caseStarts, pandocVersion, readWithPandoc } from './pandoc/run.js';
import { differences, edgeCases, frontMatterCase, manualCases, suiteCases } from './pandoc/cases.js';

const pandoc = pandocVersion();
const required = process.env.VERBATIM_REQUIRE_PANDOC === '1';
const skip = 'missing' in pandoc && !required ? `${pandoc.missing}; install Debian's pandoc to run the differential test` : false;

interface VerbatimReading {
  /** Per case, the keys of its citations in document order. */
  keys: string[][];
  /** Citations whose range is not exactly `@key` or `@{key}`, as `case: written`. */
  badRanges: string[];
}

/** Reads the same batch document Pandoc reads and splits its citations by case. */
function readWithVerbatim(cases: readonly string[]): VerbatimReading {
  const document = batchDocument(cases);
  const starts = caseStarts(cases);
  const caseAt = (offset: number): number => {
    let low = 0;
    let high = starts.length;
    while (low + 1 < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid;
    }
    return low;
  };
  const keys: string[][] = cases.map(() => []);
  const badRanges: string[] = [];
  for (const citation of readNote(document).citations) {
    for (const item of citation.items) {
      const i = caseAt(item.keySpan.start);
      keys[i].push(item.key);
      const written = document.slice(item.keySpan.start, item.keySpan.end);
      if (written !== `@${item.key}` && written !== `@{${item.key}}`) badRanges.push(`${JSON.stringify(cases[i])}: ${JSON.stringify(written)} for key ${JSON.stringify(item.key)}`);
    }
  }
  return { keys, badRanges };
}

/** Every case whose keys differ, one line each. */
function disagreements(cases: readonly string[], verbatim: readonly string[][], pandocKeys: readonly string[][]): string[] {
  const lines: string[] = [];
  cases.forEach((markdown, i) => {
    if (JSON.stringify(verbatim[i]) !== JSON.stringify(pandocKeys[i])) lines.push(`${JSON.stringify(markdown)}: Verbatim ${JSON.stringify(verbatim[i])}, Pandoc ${JSON.stringify(pandocKeys[i])}`);
  });
  return lines;
}

describe(`citation keys agree with Pandoc (${'version' in pandoc ? pandoc.version : 'pandoc missing'})`, { skip }, () => {
  test('pandoc is installed where the test is required', () => {
    assert.ok('version' in pandoc, `VERBATIM_REQUIRE_PANDOC=1 but ${'missing' in pandoc ? pandoc.missing : ''}`);
  });

  const groups: [string, readonly string[]][] = [
    ["the manual's citation examples", manualCases],
    ["the citeproc tests' examples", suiteCases],
    ['generated edge cases', edgeCases()],
  ];
  for (const [name, cases] of groups) {
    test(`${name} (${cases.length} cases): same keys, in order, and each range is its @key`, () => {
      const fromPandoc = readWithPandoc(cases);
      const fromVerbatim = readWithVerbatim(cases);
      const examples = cases.filter((_, i) => fromPandoc.exampleLists[i]);
      assert.deepEqual(examples, [], 'no case outside the documented differences makes an example list');
      // Every case must cite something on at least one side, or the case tests nothing.
      const citing = cases.filter((_, i) => fromPandoc.bodies[i].length > 0).length;
      assert.ok(citing > cases.length / 2, `most cases hold a citation Pandoc reads (${citing} of ${cases.length})`);
      const differing = disagreements(cases, fromVerbatim.keys, fromPandoc.bodies);
      assert.deepEqual(differing, [], `${differing.length} cases differ:\n${differing.join('\n')}`);
      assert.deepEqual(fromVerbatim.badRanges, [], `ranges that are not their key:\n${fromVerbatim.badRanges.join('\n')}`);
    });
  }

  test('the documented differences are exactly as documented', () => {
    const cases = differences.map((d) => d.markdown);
    const fromPandoc = readWithPandoc(cases);
    const fromVerbatim = readWithVerbatim(cases);
    differences.forEach((d, i) => {
      assert.deepEqual(fromPandoc.bodies[i], d.pandoc, `Pandoc on ${JSON.stringify(d.markdown)} (${d.why})`);
      assert.deepEqual(fromVerbatim.keys[i], d.verbatim, `Verbatim on ${JSON.stringify(d.markdown)} (${d.why})`);
    });
    assert.ok(fromPandoc.exampleLists.every(Boolean), 'each difference is an example list to Pandoc');
  });

  test('front matter: Pandoc cites from metadata (nocite, title), Verbatim checks only the body’s citations', () => {
    const fromPandoc = readWithPandoc([frontMatterCase.markdown]);
    assert.deepEqual(fromPandoc.bodies[0], frontMatterCase.pandocBody);
    // Metadata fields come in Pandoc's own order (a map's): compare them as a set.
    assert.deepEqual([...fromPandoc.metadata].sort(), frontMatterCase.pandocMetadata);
    assert.deepEqual(readWithVerbatim([frontMatterCase.markdown]).keys[0], frontMatterCase.verbatim);
  });

  test('front matter: the bibliographies (BibTeX, CSL JSON, CSL YAML, a list) and inline references resolve the keys Pandoc’s citeproc resolves', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'verbatim-pandoc-fm-'));
    try {
      const { note, text } = frontMatterBibliographies(folder);
      // Pandoc finds a relative bibliography in its working directory: run it in the note's folder.
      const run = spawnSync('pandoc', ['--citeproc', '-f', 'markdown', '-t', 'json', note], { cwd: dirname(note), encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const refs = [...run.stdout.matchAll(/"ref-([^"]+)"/gu)].map((m) => m[1]).sort();
      const notFound = [...run.stderr.matchAll(/citation (\S+) not found/gu)].map((m) => m[1]).sort();
      const cited = [...new Set(readNote(text).citations.flatMap((c) => c.items.map((i) => i.key)))].sort();
      const own = await new NoteSources().corpusFor(note, text, undefined, 'instead');
      assert.ok(own, 'the front matter names sources');
      assert.deepEqual(own.problems, []);
      // The bibliography holds what Pandoc lists (nocite included); of the body's keys, Pandoc and Verbatim miss the same.
      assert.deepEqual([...own.corpus.byKey.keys()].sort(), refs);
      assert.deepEqual(cited.filter((key) => !own.corpus.byKey.has(key)), notFound);
      assert.ok(notFound.length > 0 && refs.includes('jsonone') && !cited.includes('jsonone'), 'a key Pandoc misses, and one only nocite names');
      // An inline reference takes precedence over a bibliography's entry with the same id, in both.
      assert.match(spawnSync('pandoc', ['--citeproc', '-f', 'markdown', '-t', 'plain', note], { cwd: dirname(note), encoding: 'utf8' }).stdout, /The Inline Title/u);
      assert.equal(own.corpus.byKey.get('shadowed')?.metadata?.title, 'The inline title');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** A note whose front matter lists three bibliographies and inline references, each entry with its text where Verbatim looks. */
function frontMatterBibliographies(folder: string): { note: string; text: string } {
  const refs = join(folder, 'notes', 'refs');
  mkdirSync(refs, { recursive: true });
  writeFileSync(join(refs, 'a.bib'), '@article{bibone, title = {From BibTeX}, author = {One, Ann}, year = {2020}}\n@article{shadowed, title = {The BibTeX title}, year = {2019}}\n');
  writeFileSync(join(refs, 'b.json'), JSON.stringify([{ id: 'jsonone', title: 'From JSON', type: 'article' }]));
  writeFileSync(join(refs, 'c.yaml'), '---\nreferences:\n- id: yamlone\n  title: From YAML\n  type: article\n...\n');
  for (const key of ['bibone', 'jsonone', 'yamlone']) writeFileSync(join(refs, `${key}.txt`), `The text of ${key}.\n`);
  for (const key of ['inlineone', 'shadowed']) writeFileSync(join(folder, 'notes', `${key}.txt`), `The text of ${key}.\n`);
  const text = [
    '---',
    'bibliography:',
    '  - refs/a.bib',
    '  - refs/b.json',
    '  - refs/c.yaml',
    'references:',
    '- id: inlineone',
    '  title: Inline',
    '  type: article',
    '- id: shadowed',
    '  title: The inline title',
    '  type: article',
    'nocite: |',
    '  @jsonone',
    '---',
    '',
    'Cites [@bibone; @yamlone; @inlineone; @shadowed; @missing2000].',
    '',
  ].join('\n');
  const note = join(folder, 'notes', 'note.md');
  writeFileSync(note, text);
  return { note, text };
}
