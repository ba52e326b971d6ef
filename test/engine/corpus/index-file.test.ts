import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNote } from '../../../server/src/engine/check.js';
import { corpusOf, loadCorpus, loadTextCorpus, openIndex, readCorpusFiles } from '../../../server/src/engine/corpus/load.js';
import { indexFilePath, readIndexFile } from '../../../server/src/engine/corpus/index-file.js';
import { StoredIndexError } from '../../../server/src/engine/corpus/stored-index.js';
import { judgeQuotation } from '../../../server/src/engine/match/judge.js';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import type { CandidateIndex } from '../../../server/src/engine/corpus/store.js';
import { corpusDir, root } from '../../helpers.js';

const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');

/** A copy of the bundled corpus and an empty cache folder, so tests may change both. */
function workspace(): { dir: string; cache: string; file: string } {
  const base = mkdtempSync(join(tmpdir(), 'verbatim-index-'));
  const dir = join(base, 'corpus');
  cpSync(corpusDir, dir, { recursive: true });
  const cache = join(base, 'cache');
  return { dir, cache, file: indexFilePath(cache, dir) };
}

function diagnosticsOf(corpus: Corpus): string {
  return JSON.stringify(checkNote(corpus, note).diagnostics);
}

const QUOTED = 'Russia sees a chance to step up its function as a regional energy in its personal yard';

describe('the index on disk', () => {
  test('is written at the first load, and a second load uses it whole, with the same diagnostics as an index built in memory', async () => {
    const { dir, cache, file } = workspace();
    const first = await loadCorpus(dir, { indexCache: cache });
    assert.equal(first.origin?.reused, 0);
    assert.ok(statSync(file).size > 0);
    const second = await loadCorpus(dir, { indexCache: cache });
    assert.equal(second.origin?.reused, second.sources.length);
    assert.equal(second.origin?.toStore, undefined, 'nothing changed: nothing to write');
    const inMemory = loadTextCorpus(dir);
    assert.equal(diagnosticsOf(second), diagnosticsOf(inMemory));
    assert.ok(checkNote(inMemory, note).diagnostics.length > 0, 'the example note has findings to compare');
    assert.equal(judgeQuotation(second, QUOTED, ['anon2021']).verdict, 'verbatim');
    const near = judgeQuotation(second, QUOTED.replace('chance', 'opportunity'), ['anon2021']);
    assert.equal(near.verdict, 'changed');
    assert.deepEqual(near.changes?.map((c) => [c.source, c.quotation]), [['chance', 'opportunity']]);
  });

  test('a changed source alone is tokenised again; the others keep their stored tokens', async () => {
    const { dir, cache } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const anon = join(dir, 'anon2021.txt');
    writeFileSync(anon, readFileSync(anon, 'utf8').replace('personal yard', 'own backyard'));
    const changed = await loadCorpus(dir, { indexCache: cache });
    assert.equal(changed.origin?.reused, changed.sources.length - 1);
    assert.ok(changed.origin?.toStore, 'the index is written again');
    const edited = QUOTED.replace('personal yard', 'own backyard');
    assert.equal(judgeQuotation(changed, edited, ['anon2021']).verdict, 'verbatim');
    assert.notEqual(judgeQuotation(changed, QUOTED, ['anon2021']).verdict, 'verbatim');
    assert.equal(diagnosticsOf(changed), diagnosticsOf(loadTextCorpus(dir)));
    // The rewritten file is the whole corpus again.
    const again = await loadCorpus(dir, { indexCache: cache });
    assert.equal(again.origin?.reused, again.sources.length);
    assert.equal(judgeQuotation(again, edited, ['anon2021']).verdict, 'verbatim');
  });

  test('a source added or removed is taken in without re-reading the others', async () => {
    const { dir, cache } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    writeFileSync(join(dir, 'added2024.txt'), 'A title\nThe committee met twice in May and said nothing at all.\n');
    const added = await loadCorpus(dir, { indexCache: cache });
    assert.equal(added.origin?.reused, added.sources.length - 1);
    assert.equal(judgeQuotation(added, 'met twice in May and said nothing', ['added2024']).verdict, 'verbatim');
    // Sorted before the others: every stored source moves to a new position, and keeps its tokens.
    writeFileSync(join(dir, 'aaa2020.txt'), 'Title\nAn early word on the matter.\n');
    const moved = await loadCorpus(dir, { indexCache: cache });
    assert.equal(moved.origin?.reused, moved.sources.length - 1);
    assert.equal(diagnosticsOf(moved), diagnosticsOf(loadTextCorpus(dir)));
  });

  for (const [name, damage, problem] of [
    ['truncated', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2)), /ends inside a segment/u],
    ['cut to a few bytes', (file: string) => truncateSync(file, 10), /too short/u],
    ['with one byte of its table of contents flipped', (file: string) => flipByte(file, 40), /checksum mismatch in a table of contents/u],
    ['with one byte of its vocabulary flipped', (file: string) => flipByte(file, vocabularyOffset(file) + 3), /checksum mismatch/u],
    ['with a byte appended', (file: string) => appendFileSync(file, Buffer.from([0])), /ends inside a segment/u],
    ['of an older format version', (file: string) => setVersion(file, 0), /format version 0/u],
    ['not an index at all', (file: string) => writeFileSync(file, 'hello, I am a text file'), /not a Verbatim index/u],
  ] as const) {
    test(`a file ${name} is detected and rebuilt, never trusted`, async () => {
      const { dir, cache, file } = workspace();
      await loadCorpus(dir, { indexCache: cache });
      damage(file);
      assert.match(readIndexFile(file).problem ?? '', problem);
      const rebuilt = await loadCorpus(dir, { indexCache: cache });
      assert.equal(rebuilt.origin?.reused, 0);
      assert.equal(diagnosticsOf(rebuilt), diagnosticsOf(loadTextCorpus(dir)));
      assert.equal(readIndexFile(file).problem, undefined, 'the file is written anew');
      assert.equal((await loadCorpus(dir, { indexCache: cache })).origin?.reused, rebuilt.sources.length);
    });
  }
});

describe('the index file’s blocks, checked when first read', () => {
  test('a byte flipped among token ids or positions is found by the first lookup that reads it: the lookup fails rather than answer, and the next load builds the index afresh', async () => {
    const { dir, cache, file } = workspace();
    // Eight copies of each article under other names: token ids enough for blocks that opening does not read.
    for (const name of readdirSync(corpusDir)) for (let copy = 1; copy <= 8; copy++) cpSync(join(corpusDir, name), join(dir, name.replace(/\.txt$/u, `-copy${copy}.txt`)));
    await loadCorpus(dir, { indexCache: cache });
    flipByte(file, idsBlockOffset(file) + 100);
    // Opening reads only the small parts, which are whole.
    assert.equal(readIndexFile(file).problem, undefined);
    const loaded = await loadCorpus(dir, { indexCache: cache });
    assert.equal(loaded.origin?.reused, loaded.sources.length);
    const readEverything = (): number => {
      let tokens = postingsByText(loaded.index).size;
      for (const source of loaded.index.sources) tokens += source.ids.length;
      return tokens;
    };
    assert.throws(readEverything, (error: unknown) => error instanceof StoredIndexError && /checksum mismatch/u.test(error.message));
    // Asked again, it is refused again: the file is no longer read from.
    assert.throws(readEverything, StoredIndexError);
    assert.equal(existsSync(file), false, 'the damaged file is removed');
    const rebuilt = await loadCorpus(dir, { indexCache: cache });
    assert.equal(rebuilt.origin?.reused, 0);
    assert.equal(diagnosticsOf(rebuilt), diagnosticsOf(loadTextCorpus(dir)));
    assert.deepEqual(postingsByText(rebuilt.index), postingsByText(loadTextCorpus(dir).index));
  });

  test('the command line, finding a damaged block while it checks, checks again against an index built afresh', () => {
    const { dir, cache } = workspace();
    for (const name of readdirSync(corpusDir)) for (let copy = 1; copy <= 8; copy++) cpSync(join(corpusDir, name), join(dir, name.replace(/\.txt$/u, `-copy${copy}.txt`)));
    const notePath = join(dir, '..', 'note.md');
    writeFileSync(notePath, note);
    const env = { ...process.env, XDG_CACHE_HOME: cache };
    const check = (): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [join(root, 'bin', 'verbatim.js'), 'check', '--corpus', dir, '--format', 'json', notePath], { encoding: 'utf8', env });
    const clean = check();
    const file = indexFilePath(join(cache, 'verbatim'), dir);
    flipByte(file, idsBlockOffset(file) + 100);
    const inode = statSync(file).ino;
    const damaged = check();
    assert.notEqual(statSync(file).ino, inode, 'the check read the damaged block, and the index was built afresh');
    assert.equal(damaged.stderr, '');
    assert.equal(damaged.status, clean.status);
    assert.equal(damaged.stdout, clean.stdout);
    assert.ok(JSON.stringify(clean.stdout).includes('quote-mismatch'), 'the note has findings to compare');
    assert.equal(readIndexFile(file).problem, undefined, 'the file is written anew');
  });

  test('an index whose every block is read answers as one built afresh (no block is refused that is whole)', async () => {
    const { dir, cache } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const loaded = await loadCorpus(dir, { indexCache: cache });
    assert.equal(loaded.origin?.reused, loaded.sources.length);
    assert.deepEqual(postingsByText(loaded.index), postingsByText(loadTextCorpus(dir).index));
    assert.equal(diagnosticsOf(loaded), diagnosticsOf(loadTextCorpus(dir)));
  });
});

/** The first segment's table of contents, and where its sections start, in the file. */
function firstSegment(file: string): { sections: Record<string, [number, number]>; sectionsStart: number } {
  const bytes = readFileSync(file);
  const contentsLength = bytes.readUInt32LE(16 + 4);
  const contents = JSON.parse(bytes.subarray(32, 32 + contentsLength).toString('utf8')) as { sections: Record<string, [number, number]> };
  return { sections: contents.sections, sectionsStart: (16 + contentsLength + 7) & ~7 };
}

/** The file offset of the first 64 KiB block that holds token ids only (and so is read only by a lookup). */
function idsBlockOffset(file: string): number {
  const { sections, sectionsStart } = firstSegment(file);
  const [idsAt, idsLength] = sections.ids;
  const block = sectionsStart + Math.ceil((idsAt - sectionsStart) / 65536) * 65536;
  assert.ok(block + 65536 <= idsAt + idsLength, 'the corpus has a block of token ids alone');
  return 16 + block;
}

/** Where the first segment's first section (its vocabulary's text) starts: after the 16-byte header and the segment's header and contents. */
function vocabularyOffset(file: string): number {
  const bytes = readFileSync(file);
  const contentsLength = bytes.readUInt32LE(16 + 4);
  const contents = JSON.parse(bytes.subarray(32, 32 + contentsLength).toString('utf8')) as { sections: { vocabularyText: [number, number] } };
  return 16 + contents.sections.vocabularyText[0];
}

/** Every word's positions and frequency, by its text: what a lookup sees, whatever the ids. */
function postingsByText(index: CandidateIndex): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const { vocabulary } = index;
  for (let id = 0; id < vocabulary.size; id++) {
    if (vocabulary.folded[id] !== id) continue;
    const positions = [...index.positions(id)];
    assert.equal(index.frequency(id), positions.length, `frequency of ${vocabulary.text(id)}`);
    if (positions.length > 0) out.set(vocabulary.text(id), positions);
  }
  return out;
}

describe('the index file’s segments', () => {
  test('a changed source is appended as a segment of its own, and reading the file again reads only that segment', async () => {
    const { dir, cache, file } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const before = statSync(file);
    const opened = openIndex(cache, dir);
    assert.equal(opened.stored?.segments.length, 1);
    const anon = join(dir, 'anon2021.txt');
    writeFileSync(anon, readFileSync(anon, 'utf8').replace('personal yard', 'own backyard'));
    corpusOf(readCorpusFiles(dir, { stored: opened.stored }), { sources: [], problems: [] }, opened);
    const after = statSync(file);
    assert.equal(after.ino, before.ino, 'appended to, not replaced');
    assert.ok(after.size > before.size && after.size - before.size < before.size / 2, 'only the changed source is written');
    const reopened = openIndex(cache, dir, opened);
    assert.equal(reopened.stored?.segments.length, 2);
    assert.equal(reopened.stored?.segments[0], opened.stored?.segments[0], 'the first segment is not read again');
    assert.equal(openIndex(cache, dir).stored?.segments.length, 2, 'a fresh read finds both');
  });

  test('over segments, with sources changed, removed and added, every word’s positions are those of an index built afresh', async () => {
    const { dir, cache } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const gul = join(dir, 'gul2021.txt');
    writeFileSync(gul, `${readFileSync(gul, 'utf8')}\nThe Taliban said the talks would go on.\n`);
    await loadCorpus(dir, { indexCache: cache });
    unlinkSync(join(dir, 'korybko2021.txt'));
    writeFileSync(join(dir, 'aaa2020.txt'), 'Title\nThe talks with the Taliban began in Doha.\n');
    const corpus = await loadCorpus(dir, { indexCache: cache });
    assert.equal(openIndex(cache, dir).stored?.segments.length, 3);
    const fresh = loadTextCorpus(dir);
    assert.equal(corpus.index.tokenCount, fresh.index.tokenCount);
    assert.deepEqual(postingsByText(corpus.index), postingsByText(fresh.index));
    assert.equal(diagnosticsOf(corpus), diagnosticsOf(fresh));
  });

  test('a file of many segments is compacted into one, and stays right', async () => {
    const { dir, cache, file } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const suchkov = join(dir, 'suchkov2021.txt');
    const original = readFileSync(suchkov, 'utf8');
    let most = 1;
    for (let edit = 1; edit <= 20; edit++) {
      writeFileSync(suchkov, `${original}\nEdit number ${edit}.\n`);
      await loadCorpus(dir, { indexCache: cache });
      const segments = openIndex(cache, dir).stored?.segments.length ?? 0;
      most = Math.max(most, segments);
    }
    assert.ok(most > 2 && most <= 17, `segments went up to ${most}`);
    assert.ok((openIndex(cache, dir).stored?.segments.length ?? 0) < most, 'and were compacted');
    const corpus = await loadCorpus(dir, { indexCache: cache });
    assert.equal(corpus.origin?.reused, corpus.sources.length);
    assert.equal(judgeQuotation(corpus, 'Edit number 20', ['suchkov2021']).verdict, 'verbatim');
    assert.deepEqual(postingsByText(corpus.index), postingsByText(loadTextCorpus(dir).index));
    assert.equal(readIndexFile(file).problem, undefined);
  });

  test('a damaged appended segment is detected, and the index rebuilt', async () => {
    const { dir, cache, file } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const size = statSync(file).size;
    writeFileSync(join(dir, 'added2024.txt'), 'A title\nThe committee met twice in May.\n');
    await loadCorpus(dir, { indexCache: cache });
    // A byte of the appended segment's table of contents: found as the segment is read.
    flipByte(file, size + 20);
    assert.match(readIndexFile(file).problem ?? '', /checksum/u);
    const rebuilt = await loadCorpus(dir, { indexCache: cache });
    assert.equal(rebuilt.origin?.reused, 0);
    assert.equal(judgeQuotation(rebuilt, 'The committee met twice in May', ['added2024']).verdict, 'verbatim');
  });
});

function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] ^= 0xff;
  writeFileSync(file, bytes);
}

function setVersion(file: string, version: number): void {
  const bytes = readFileSync(file);
  bytes.writeUInt32LE(version, 4);
  writeFileSync(file, bytes);
}

describe('sources known to the index on disk', () => {
  test('are not read at load when their size and modification time are as stored; a touched file is read and, unchanged, reused', async () => {
    const { dir, cache } = workspace();
    await loadCorpus(dir, { indexCache: cache });
    const index = openIndex(cache, dir);
    const files = readCorpusFiles(dir, { stored: index.stored });
    assert.deepEqual(
      files.sources.map((s) => typeof s.hash),
      files.sources.map(() => 'string'),
      'every source is known by its stored hash',
    );
    const gul = join(dir, 'gul2021.txt');
    utimesSync(gul, new Date(), new Date(Date.now() + 5000));
    const touched = readCorpusFiles(dir, { stored: index.stored });
    assert.equal(touched.sources.find((s) => s.path === gul)?.hash, undefined, 'read again');
    const corpus = corpusOf(touched, { sources: [], problems: [] }, index);
    assert.equal(corpus.origin?.reused, corpus.sources.length, 'same text: same tokens');
    // Read only now, for the message that shows the source's words.
    const near = judgeQuotation(corpus, QUOTED.replace('chance', 'opportunity'), ['anon2021']);
    assert.equal(near.verdict, 'changed');
    assert.equal(near.expected, QUOTED);
  });
});
