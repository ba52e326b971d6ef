import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CorpusManager, type CorpusState, type LoadedCorpus } from '../../../server/src/engine/corpus/manager.js';
import { indexFilePath } from '../../../server/src/engine/corpus/index-file.js';
import { loadTextCorpus } from '../../../server/src/engine/corpus/load.js';
import { StoredIndexError } from '../../../server/src/engine/corpus/stored-index.js';
import { corpusDir, root } from '../../helpers.js';
import { bundledArchive, postgresSkip, startCluster, type Cluster } from '../../postgres-cluster.js';

interface Recorded {
  folder: string;
  state: CorpusState;
}

/** A manager whose every reported state is kept, in order, with a way to wait for one. */
function recordingManager(options: { sliceMs?: number; watch?: boolean; cacheFolder?: string } = {}): { manager: CorpusManager; states: Recorded[]; next: (match: (s: CorpusState) => boolean) => Promise<CorpusState> } {
  const states: Recorded[] = [];
  let waiters: { match: (s: CorpusState) => boolean; resolve: (s: CorpusState) => void }[] = [];
  const manager = new CorpusManager({
    cacheFolder: options.cacheFolder ?? mkdtempSync(join(tmpdir(), 'verbatim-manager-cache-')),
    attachmentsOutside: true,
    quietMs: 10,
    sliceMs: options.sliceMs,
    watch: options.watch,
    changed: (folder, state) => {
      states.push({ folder, state });
      const due = waiters.filter((w) => w.match(state));
      waiters = waiters.filter((w) => !w.match(state));
      for (const w of due) w.resolve(state);
    },
  });
  return { manager, states, next: (match) => new Promise((resolve) => waiters.push({ match, resolve })) };
}

/** A workspace folder whose `corpus/` holds the five seed articles, and `copies` more of each under other names. */
function workspace(copies = 0): string {
  const folder = mkdtempSync(join(tmpdir(), 'verbatim-manager-'));
  cpSync(corpusDir, join(folder, 'corpus'), { recursive: true });
  const seeds = readdirSync(corpusDir).filter((f) => f.endsWith('.txt'));
  for (let i = 0; i < copies; i++) for (const seed of seeds) copyFileSync(join(corpusDir, seed), join(folder, 'corpus', `copy${i}-${seed}`));
  return folder;
}

function loadedOf(state: CorpusState | undefined): LoadedCorpus {
  assert.equal(state?.status, 'ready', JSON.stringify(state));
  return state.loaded;
}

const DEFAULT = { setting: 'corpus', explicit: false };

describe('the corpus manager', () => {
  test('loads a folder in phases, reporting each from 0 to its total, and ends ready', async () => {
    const folder = workspace(4);
    const { manager, states } = recordingManager({ sliceMs: 0 });
    const outcome = await manager.load(folder, DEFAULT);
    const loaded = loadedOf(outcome);
    assert.equal(loaded.corpus.sources.length, 25);
    assert.equal(loaded.corpusDir, join(folder, 'corpus'));
    assert.ok(loaded.whole);
    assert.equal(await loaded.corpusFor('any note'), loaded.corpus);
    assert.equal(manager.state(folder), outcome);

    const seen = states.map((s) => s.state);
    assert.equal(seen.at(-1), outcome, 'ready is the last state');
    const loading = seen.flatMap((s) => (s.status === 'loading' ? [s.progress] : []));
    assert.deepEqual(loading[0], { phase: 'reading', done: 0, total: 0 });
    assert.deepEqual(loading[1], { phase: 'reading', done: 25, total: 25 });
    const indexing = loading.filter((p) => p.phase === 'indexing');
    assert.deepEqual(indexing[0], { phase: 'indexing', done: 0, total: 25 });
    assert.deepEqual(indexing.at(-1), { phase: 'indexing', done: 25, total: 25 });
    // With no time slice, every source is a step of its own.
    assert.deepEqual(indexing.map((p) => p.done), Array.from({ length: 26 }, (_, i) => i));
    assert.equal(seen.filter((s) => s.status === 'ready').length, 1);
  });

  test('lets other work run between sources while it indexes', async () => {
    const folder = workspace(20);
    const { manager } = recordingManager({ sliceMs: 0 });
    const load = manager.load(folder, DEFAULT);
    // Queued after the load began: it runs at the load's first pause, long before the load is done.
    const seenMeanwhile: CorpusState[] = [];
    const sample = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) {
        const state = manager.state(folder);
        if (state) seenMeanwhile.push(state);
        await nextTurn();
      }
    };
    await Promise.all([load, sample()]);
    assert.equal(seenMeanwhile.length, 5);
    assert.ok(
      seenMeanwhile.every((s) => s.status === 'loading'),
      `the other work ran only after the load: ${seenMeanwhile.map((s) => s.status).join(', ')}`,
    );
    assert.ok(seenMeanwhile.some((s) => s.status === 'loading' && s.progress.phase === 'indexing' && s.progress.done > 0 && s.progress.done < s.progress.total));
  });

  test('a missing folder the user set is an explicit failure; a missing default folder is not', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'verbatim-manager-empty-'));
    const { manager } = recordingManager();
    const missingDefault = await manager.load(folder, DEFAULT);
    assert.deepEqual(missingDefault, { status: 'failed', explicit: false, reason: `Corpus folder not found: ${join(folder, 'corpus')} (setting verbatim.corpus)` });
    const missingSet = await manager.load(folder, { setting: 'sources', explicit: true });
    assert.equal(missingSet.status, 'failed');
    assert.equal(missingSet.explicit, true);
    const outside = await manager.load(folder, { setting: '../elsewhere', explicit: true });
    assert.equal(outside.status, 'failed');
    assert.match(outside.reason, /points outside the workspace folder/);
  });

  test('an index file found damaged by a lookup (its blocks are checked when first read) has the corpus indexed afresh', async () => {
    const folder = workspace(8);
    const cacheFolder = mkdtempSync(join(tmpdir(), 'verbatim-manager-cache-'));
    await recordingManager({ cacheFolder }).manager.load(folder, DEFAULT);
    const file = indexFilePath(cacheFolder, join(folder, 'corpus'));
    // A byte in the middle of the token ids, in a block that opening the file does not read.
    const bytes = readFileSync(file);
    const contentsLength = bytes.readUInt32LE(20);
    const contents = JSON.parse(bytes.subarray(32, 32 + contentsLength).toString('utf8')) as { sections: { ids: [number, number] } };
    const sectionsStart = (16 + contentsLength + 7) & ~7;
    const block = sectionsStart + Math.ceil((contents.sections.ids[0] - sectionsStart) / 65536) * 65536;
    assert.ok(block + 65536 <= contents.sections.ids[0] + contents.sections.ids[1]);
    bytes[16 + block + 100] ^= 0xff;
    writeFileSync(file, bytes);

    const { manager, next } = recordingManager({ cacheFolder });
    const stored = loadedOf(await manager.load(folder, DEFAULT)).corpus;
    assert.equal(stored.origin?.reused, stored.sources.length, 'opened from the file');
    const rebuilt = next((s) => s.status === 'ready');
    assert.throws(() => stored.index.sources.reduce((n, source) => n + source.ids.length, 0), StoredIndexError);
    const fresh = loadedOf(await rebuilt).corpus;
    assert.equal(fresh.origin?.reused, 0, 'indexed afresh');
    const inMemory = loadTextCorpus(join(folder, 'corpus'));
    assert.deepEqual(
      fresh.index.sources.map((s) => [...s.ids]),
      inMemory.index.sources.map((s) => [...s.ids]),
    );
  });

  test('a second load of the same folder supersedes the first: one ready state, the second one’s', async () => {
    const folder = workspace(10);
    const { manager, states } = recordingManager({ sliceMs: 0 });
    const first = manager.load(folder, DEFAULT);
    writeFileSync(join(folder, 'corpus', 'memo2024.txt'), 'Memo\nThe committee met twice in May.\n');
    const second = manager.load(folder, DEFAULT);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a, b, 'the superseded load resolves to the load that replaced it');
    assert.ok(loadedOf(b).corpus.byKey.has('memo2024'));
    assert.equal(states.filter((s) => s.state.status === 'ready').length, 1);
  });

  test('a changed file in the corpus folder reloads the corpus, with a loading state first', async () => {
    const folder = workspace();
    const { manager, states, next } = recordingManager();
    const before = loadedOf(await manager.load(folder, DEFAULT));
    assert.ok(!before.corpus.byKey.has('memo2024'));
    const source = join(folder, 'corpus', 'memo2024.txt');
    writeFileSync(source, 'Memo\nThe committee met twice in May.\n');
    const reloaded = next((s) => s.status === 'ready');
    const reloading = next((s) => s.status === 'loading');
    manager.filesChanged([join(folder, 'notes', 'not-in-the-corpus.md'), source]);
    await reloading;
    assert.equal(states.at(-1)?.state.status, 'loading');
    const after = loadedOf(await reloaded);
    assert.ok(after.corpus.byKey.has('memo2024'));
    assert.notEqual(after, before);
  });

  test('watching the corpus folder itself, a file saved into it reloads the corpus', { timeout: 30_000 }, async () => {
    const folder = workspace();
    const { manager, next } = recordingManager({ watch: true });
    try {
      loadedOf(await manager.load(folder, DEFAULT));
      const reloaded = next((s) => s.status === 'ready' && s.loaded.corpus.byKey.has('memo2024'));
      mkdirSync(join(folder, 'corpus', 'memos'));
      writeFileSync(join(folder, 'corpus', 'memos', 'memo2024.txt'), 'Memo\nThe committee met twice in May.\n');
      const after = loadedOf(await reloaded);
      assert.equal(after.corpus.byKey.get('memo2024')?.paragraphs.length, 2);
    } finally {
      await manager.dispose();
    }
  });

  test('documents are read after the text sources are ready, with progress of their own', async () => {
    const folder = workspace();
    copyFileSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf'), join(folder, 'corpus', 'journal.pdf'));
    const { manager, states, next } = recordingManager();
    const complete = next((s) => s.status === 'ready' && s.progress === undefined);
    const first = await manager.load(folder, DEFAULT);
    assert.equal(first.status, 'ready');
    assert.deepEqual(first.progress, { phase: 'extracting', done: 0, total: 1 });
    assert.ok(first.loaded.corpus.pending.has('journal'), 'the document’s key is pending, not unknown');
    const last = loadedOf(await complete);
    assert.ok(last.corpus.byKey.has('journal'));
    assert.equal(last.corpus.pending.size, 0);
    const afterFirst = states.slice(states.findIndex((s) => s.state === first));
    assert.ok(afterFirst.some((s) => s.state.status === 'ready' && s.state.progress?.phase === 'extracting' && s.state.progress.done === 1));
    assert.ok(afterFirst.some((s) => s.state.status === 'ready' && s.state.progress?.phase === 'indexing'));
  });

  test('an archive that cannot be reached is an explicit failure naming the URL without its password', async () => {
    const socketFolder = mkdtempSync(join(tmpdir(), 'verbatim-manager-nopg-'));
    const { manager, states } = recordingManager();
    const url = `postgres://verbatim:secret@/verbatim?host=${socketFolder}`;
    const outcome = await manager.load(socketFolder, { setting: url, explicit: true });
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.explicit, true);
    assert.match(outcome.reason, /^Cannot connect to the archive at postgres:\/\/verbatim:\*\*\*@\/verbatim\?host=/);
    assert.doesNotMatch(JSON.stringify(states), /secret/);
    assert.deepEqual(states[0].state, { status: 'loading', progress: { phase: 'connecting', done: 0, total: 1 } });
  });
});

const skip = postgresSkip();
if (skip) console.log(`# ${skip}`);

describe('the corpus manager with a PostgreSQL archive', { skip }, () => {
  let cluster: Cluster;
  before(() => {
    cluster = startCluster();
  });
  after(() => cluster.stop());

  test('an archive is ready with its catalogue, and fetches what each note cites', async () => {
    const reader = await bundledArchive(cluster, 'managed', 'checker');
    const folder = mkdtempSync(join(tmpdir(), 'verbatim-manager-pg-'));
    const { manager } = recordingManager();
    try {
      const loaded = loadedOf(await manager.load(folder, { setting: reader, explicit: true }));
      assert.equal(loaded.whole, false);
      assert.equal(loaded.corpusDir, undefined);
      assert.deepEqual([...loaded.corpus.byKey.keys()].sort(), ['anon2021', 'gul2021', 'korybko2021', 'suchkov2021', 'zochowski2021']);
      assert.equal(loaded.corpus.byKey.get('korybko2021')?.text, '', 'the catalogue holds no text');
      // A quotation: the paragraph holding it; a cited sentence stating a figure: the whole source it cites.
      const quoting = await loaded.corpusFor('"like an anaconda" [@korybko2021]');
      const fetched = quoting.byKey.get('korybko2021')?.paragraphs.filter((p) => p.text.length > 0) ?? [];
      assert.ok(fetched.some((p) => p.text.includes('like an anaconda')) && fetched.length < 5, `${fetched.length} paragraphs fetched`);
      const claiming = await loaded.corpusFor('Kabul could be isolated within 72 hours [@korybko2021].');
      assert.equal(claiming.byKey.get('korybko2021')?.text, readFileSync(join(corpusDir, 'korybko2021.txt'), 'utf8'));
    } finally {
      await manager.dispose();
    }
  });

  test('a role the server does not know is an explicit failure, and the manager keeps working', async () => {
    const folder = workspace();
    const { manager } = recordingManager();
    const refused = await manager.load(folder, { setting: cluster.url('postgres', 'nobody'), explicit: true });
    assert.equal(refused.status, 'failed');
    assert.match(refused.reason, /Cannot connect to the archive at .*nobody/);
    // The same folder, set back to its corpus folder, loads.
    assert.equal((await manager.load(folder, DEFAULT)).status, 'ready');
    rmSync(folder, { recursive: true, force: true });
  });
});

