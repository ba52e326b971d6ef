import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { checkNote } from '../../../../server/src/engine/check.js';
import { loadCorpus } from '../../../../server/src/engine/corpus/load.js';
import type { Corpus } from '../../../../server/src/engine/corpus/corpus.js';
import { migrate, READER_ROLE } from '../../../../server/src/engine/corpus/postgres/schema.js';
import { storeCorpus } from '../../../../server/src/engine/corpus/postgres/store.js';
import { PostgresArchive } from '../../../../server/src/engine/corpus/postgres/archive.js';
import { ArchiveUnavailable } from '../../../../server/src/engine/corpus/postgres/connection.js';
import { cliRunner, corpusDir, fixturesDir, root } from '../../../helpers.js';
import { postgresSkip, startCluster, type Cluster } from '../../../postgres-cluster.js';

const skip = postgresSkip();
if (skip) console.log(`# ${skip}`);

const run = cliRunner('pg');

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** Writes a corpus folder into the archive as `verbatim index` does. */
async function index(url: string, corpus: Corpus): Promise<Awaited<ReturnType<typeof storeCorpus>>> {
  return withClient(url, async (client) => {
    await migrate(client);
    return storeCorpus(client, corpus);
  });
}

/**
 * Decoys that make retrieval matter: sources built from the seeds' paragraphs,
 * reordered, some with every seventh word changed, so the same words stand in
 * several sources, exactly or nearly.
 */
function writeDecoys(dir: string): void {
  const paragraphs = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.txt'))
    .flatMap((f) => readFileSync(join(corpusDir, f), 'utf8').split('\n').filter((l) => l.trim().split(/\s+/).length > 12));
  for (let d = 0; d < 30; d++) {
    const lines: string[] = [`Decoy ${d}`];
    for (let i = 0; i < 12; i++) {
      const paragraph = paragraphs[(d * 7 + i * 13) % paragraphs.length];
      lines.push(d % 3 === 0 ? paragraph.split(' ').map((w, j) => (j % 7 === 3 ? 'varied' : w)).join(' ') : paragraph);
    }
    writeFileSync(join(dir, `decoy${String(d).padStart(2, '0')}.${d % 5 === 0 ? 'md' : 'txt'}`), lines.join(d % 5 === 0 ? '\n\n' : '\n'));
  }
}

/** Notes of our own beside the project's: every verdict, conventions, hyphens, page locators, footnotes, an uncited passage. */
const OWN_NOTES = [
  `# Verdicts

Korybko: "The Taliban captured over half of Afghanistan’s regional capitals in a single week" [@korybko2021, ¶ 3].

Changed: "The Taliban took over half of Afghanistan’s regional capitals in one week" [@korybko2021].

Ellipsis: "The Taliban captured over half … in a single week" [@korybko2021]. Bracket: "[The group] captured over half of Afghanistan’s regional capitals" [@korybko2021].

Wrong source: "the most powerful force in the country right now" [@suchkov2021].

Nowhere: "penguins are marching across the frozen steppe of Kazakhstan" [@gul2021].

Uncited: "the Taliban always used the term “Islamic emirate”" as Suchkov noticed.

Hyphen: "The Taliban captured over half of Afghan-
istan’s regional capitals" [@korybko2021].

Unknown: "a single week" [@korybko2012]. Bad locator: "in a single week" [@korybko2021, ¶ 99].
`,
  `Pages: "Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban" [@zochowski-journal, p. 17].
Wrong page: "the threat of infiltration from Afghanistan by radical Islamist fighters" [@zochowski-journal, p. 20]. No such page: "has maintained good relations with the Taliban" [@zochowski-journal, p. 99].
`,
  `Footnoted: "now exerts control over territory equivalent to at least half the size of Texas".[^1]

[^1]: [@decoy03, ¶ 2].
`,
];

describe('PostgreSQL archive', { skip }, () => {
  let cluster: Cluster;
  let work: string;
  before(() => {
    cluster = startCluster();
    work = mkdtempSync(join(tmpdir(), 'verbatim-pg-work-'));
  });
  after(() => {
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** The columns each table had at schema 2, and at schema 3, which added the word counts and statistics. */
  const SCHEMA_2_TABLES = {
    verbatim_sources: 'key, path, format, text, pages, metadata, item, text_length, paragraph_starts, paragraph_ends, content_hash',
    verbatim_paragraphs: 'source_key, number, text, words, page_indices, page_labels, raw, map_starts, map_ends',
  };
  const OLDER_TABLES: Record<2 | 3, Record<string, string>> = {
    2: SCHEMA_2_TABLES,
    3: { ...SCHEMA_2_TABLES, verbatim_words: 'word, frequency', verbatim_statistics: 'token_count' },
  };

  /**
   * A database `name` left at an older schema holding the corpus as that schema held it: the rows written by
   * this version into a scratch database, and their older columns copied into one migrated only that far.
   */
  async function archiveAtSchema(schema: 2 | 3, corpus: Corpus, name: string): Promise<{ url: string; rows: Record<string, Record<string, unknown>[]> }> {
    const scratch = `${name}_written`;
    cluster.psql('postgres', `create database ${scratch}`);
    await index(cluster.url(scratch), corpus);
    const tables = Object.entries(OLDER_TABLES[schema]);
    const rows: Record<string, Record<string, unknown>[]> = {};
    await withClient(cluster.url(scratch), async (client) => {
      for (const [table, columns] of tables) rows[table] = (await client.query<Record<string, unknown>>(`select ${columns} from ${table}`)).rows;
    });
    cluster.psql('postgres', `create database ${name}`);
    const url = cluster.url(name);
    await withClient(url, async (client) => {
      assert.deepEqual(await migrate(client, schema), schema === 2 ? [1, 2] : [1, 2, 3]);
      for (const [table] of tables) {
        for (const row of rows[table]) {
          const columns = Object.keys(row);
          const values = columns.map((c) => (c === 'pages' || c === 'metadata' || c === 'item') && row[c] !== null ? JSON.stringify(row[c]) : row[c]);
          await client.query(`insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values);
        }
      }
    });
    return { url, rows };
  }

  test('checked against the archive, every note gets the diagnostics it gets against the folder', async () => {
    const dir = join(work, 'mixed');
    mkdirSync(dir);
    for (const file of readdirSync(corpusDir)) copyFileSync(join(corpusDir, file), join(dir, file));
    // A PDF with page labels and a saved web page, under keys of their own: the same words in more sources.
    copyFileSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf'), join(dir, 'zochowski-journal.pdf'));
    copyFileSync(join(root, 'test', 'fixtures', 'sources', 'gul2021.html'), join(dir, 'gul-page.html'));
    writeDecoys(dir);
    cluster.psql('postgres', 'create database mixed');
    const url = cluster.url('mixed');
    const local = await loadCorpus(dir);
    const report = await index(url, local);
    assert.equal(report.added.length, local.sources.length);

    const notes = [
      readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8'),
      ...readdirSync(fixturesDir)
        .filter((f) => f.endsWith('.md'))
        .map((f) => readFileSync(join(fixturesDir, f), 'utf8')),
      ...OWN_NOTES,
    ];
    const archive = await PostgresArchive.open(url);
    try {
      let compared = 0;
      for (const note of notes) {
        const remote = await archive.corpusFor([note]);
        assert.deepEqual(remote.problems, local.problems);
        const expected = checkNote(local, note).diagnostics;
        assert.deepEqual(checkNote(remote, note).diagnostics, expected, note.slice(0, 80));
        compared += expected.length;
      }
      // All notes at once, as `verbatim check` asks.
      const together = await archive.corpusFor(notes);
      for (const note of notes) assert.deepEqual(checkNote(together, note).diagnostics, checkNote(local, note).diagnostics);
      assert.ok(compared > 20, `only ${compared} diagnostics compared`);

      // Only candidate paragraphs are fetched: a note quoting one passage gets a corpus holding a few
      // paragraphs' words, not the archive's, and every source stays numbered as in the folder.
      const one = await archive.corpusFor(['"captured over half of Afghanistan’s regional capitals" [@korybko2021].']);
      const holding = one.sources.flatMap((s) => s.paragraphs.filter((p) => p.text.length > 0));
      const total = local.sources.reduce((n, s) => n + s.paragraphs.length, 0);
      assert.ok(holding.length > 0 && holding.length < total / 10, `${holding.length} of ${total} paragraphs fetched`);
      assert.equal(one.byKey.get('korybko2021')?.paragraphs.length, local.byKey.get('korybko2021')?.paragraphs.length);
    } finally {
      await archive.close();
    }

    // The CLI, both ways, on the same note files: the same report word for word (claims aside: the passages
    // offered for an uncited claim are ranked over the fetched paragraphs, not the whole corpus).
    const noteDir = join(work, 'notes');
    mkdirSync(noteDir);
    notes.forEach((note, i) => writeFileSync(join(noteDir, `note${String(i).padStart(2, '0')}.md`), note));
    const check = (corpus: string): ReturnType<typeof run> => run(['check', '--format', 'json', '--severity', 'claim-uncited=off', '--corpus', corpus, noteDir]);
    const fromFolder = check(dir);
    const fromArchive = check(url);
    assert.equal(fromFolder.status, 1, fromFolder.stderr);
    assert.equal(fromArchive.status, fromFolder.status, fromArchive.stderr);
    assert.deepEqual(JSON.parse(fromArchive.stdout), JSON.parse(fromFolder.stdout));
    assert.ok(fromFolder.stdout.length > 2000, 'the notes have diagnostics to compare');
  });

  test('indexing again changes nothing; a changed source is replaced, a removed one deleted', () => {
    const dir = join(work, 'small');
    mkdirSync(dir);
    for (const file of readdirSync(corpusDir)) copyFileSync(join(corpusDir, file), join(dir, file));
    // A problem the archive keeps and every check reports: a bibliography entry with no text.
    writeFileSync(join(dir, 'extra.json'), '[{"id": "missing2020", "type": "article", "title": "Nowhere"}]');
    cluster.psql('postgres', 'create database small');
    const url = cluster.url('small');
    const snapshot = (): string =>
      cluster.psql('small', "select key, content_hash, indexed_at, (select count(*) from verbatim_paragraphs p where p.source_key = s.key) from verbatim_sources s order by key") +
      cluster.psql('small', 'select id, path, message from verbatim_problems order by id');
    const first = run(['index', '--corpus', dir, '--to', url]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /5 sources \(5 added, 0 replaced, 0 unchanged, 0 removed\), \d+ paragraphs written, postings of \d+ words written in [\d.]+ s, 1 problems/);
    const before = snapshot();
    const again = run(['index', '--corpus', dir, '--to', url]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /0 added, 0 replaced, 5 unchanged, 0 removed\), 0 paragraphs written/);
    assert.equal(snapshot(), before);

    writeFileSync(join(dir, 'gul2021.txt'), 'Gul, revised\nA new paragraph that was not there before.\n');
    rmSync(join(dir, 'anon2021.txt'));
    const changed = run(['index', '--corpus', dir, '--to', url]);
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stdout, /4 sources \(0 added, 1 replaced, 3 unchanged, 1 removed\), 2 paragraphs written/);
    assert.equal(cluster.psql('small', "select string_agg(text, '|' order by number) from verbatim_paragraphs where source_key = 'gul2021'").trim(), 'Gul, revised|A new paragraph that was not there before.');
    assert.equal(cluster.psql('small', "select count(*) from verbatim_sources where key = 'anon2021'").trim(), '0');

    // And `verbatim check` reads it: the new words are verbatim, the old ones gone.
    const note = join(work, 'revised.md');
    writeFileSync(note, 'Gul now says "A new paragraph that was not there before" [@gul2021, ¶ 2].\n');
    const checked = run(['check', '--corpus', url, note]);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  });

  test('an archive written at schema 2 migrates through word postings, keeps its rows, and checks as the folder after the next index run', async () => {
    const local = await loadCorpus(corpusDir);
    const { url, rows } = await archiveAtSchema(2, local, 'older');
    assert.ok(cluster.psql('older', "select count(*) from pg_class where relname = 'verbatim_paragraphs_trgm'").trim() === '1');
    await withClient(url, async (client) => assert.deepEqual(await migrate(client), [3, 4]));
    const indexes = cluster.psql('older', "select string_agg(relname, ',' order by relname) from pg_class where relname like 'verbatim_paragraphs_%'").trim();
    assert.equal(indexes, 'verbatim_paragraphs_pkey,verbatim_paragraphs_words');
    assert.equal(cluster.psql('older', 'select count(*) from verbatim_paragraphs').trim(), String(rows.verbatim_paragraphs.length));
    // Migrated but not yet indexed: no word counts, so a check asks for the index run rather than guess.
    await assert.rejects(PostgresArchive.open(url), (error: unknown) => error instanceof ArchiveUnavailable && /no word counts or postings yet \(a migrated archive\); run "verbatim index"/.test(error.message));
    const report = await index(url, local);
    assert.equal(report.unchanged, local.sources.length);
    assert.ok(report.words > 1000, `${report.words} words counted`);
    assert.equal(cluster.psql('older', 'select token_count from verbatim_statistics').trim(), String(local.index.tokenCount));
    const note = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8') + OWN_NOTES[0];
    const archive = await PostgresArchive.open(url);
    try {
      const expected = checkNote(local, note).diagnostics;
      assert.ok(expected.some((d) => d.code === 'quote-mismatch'), 'the note has a near quotation');
      assert.deepEqual(checkNote(await archive.corpusFor([note]), note).diagnostics, expected);
    } finally {
      await archive.close();
    }
  });

  test('an archive at schema 3 says it needs migrating, migrates, and after the next index run reads postings and suggests keys as the folder', async () => {
    const local = await loadCorpus(corpusDir);
    const { url, rows } = await archiveAtSchema(3, local, 'schema3');
    const noteFile = join(work, 'schema3.md');
    const note = `${OWN_NOTES[0]}\nMisspelt: "in a single week" [@Korybko2012] and [@gul21].\n`;
    writeFileSync(noteFile, note);
    // Not migrated: a check says which schema it found and what to run.
    const unmigrated = run(['check', '--corpus', url, noteFile]);
    assert.equal(unmigrated.status, 2);
    assert.match(unmigrated.stderr, /has archive schema 3; run "verbatim index" to migrate it to 4/);
    // Migrated, not yet indexed: the rows are kept, the counts emptied, and a check asks for the index run.
    await withClient(url, async (client) => assert.deepEqual(await migrate(client), [4]));
    assert.equal(cluster.psql('schema3', 'select count(*) from verbatim_paragraphs').trim(), String(rows.verbatim_paragraphs.length));
    assert.equal(cluster.psql('schema3', 'select count(*) from verbatim_sources where key_trigrams is null').trim(), String(rows.verbatim_sources.length));
    const unindexed = run(['check', '--corpus', url, noteFile]);
    assert.equal(unindexed.status, 2);
    assert.match(unindexed.stderr, /has no word counts or postings yet \(a migrated archive\); run "verbatim index" to write them/);

    const indexed = run(['index', '--corpus', corpusDir, '--to', url]);
    assert.equal(indexed.status, 0, indexed.stderr);
    assert.match(indexed.stdout, /0 added, 0 replaced, 5 unchanged, 0 removed\), 0 paragraphs written, postings of \d+ words written/);
    assert.equal(cluster.psql('schema3', 'select count(*) from verbatim_sources where key_trigrams is null').trim(), '0');
    // The postings are the paragraphs' own: a rare word's row names every paragraph whose words hold it.
    const word = cluster.psql('schema3', 'select word from verbatim_postings order by cardinality(numbers) desc, word limit 1').trim();
    const listed = cluster.psql('schema3', `select string_agg(s.key || '/' || n, ',' order by s.key, n) from verbatim_postings w, unnest(w.source_ids, w.numbers) as u(id, n) join verbatim_sources s on s.id = u.id where w.word = '${word}'`).trim();
    const holding = cluster.psql('schema3', `select string_agg(source_key || '/' || number, ',' order by source_key, number) from verbatim_paragraphs where string_to_array(words, ' ') @> array['${word}']`).trim();
    assert.equal(listed, holding);
    assert.ok(listed.split(',').length > 1, `${word}: ${listed}`);

    const archive = await PostgresArchive.open(url);
    try {
      const expected = checkNote(local, note).diagnostics;
      assert.ok(expected.some((d) => d.code === 'quote-mismatch'), 'the note has a near quotation');
      assert.ok(expected.some((d) => d.code === 'unknown-source' && /did you mean "korybko2021"/.test(d.message)), 'the note has a misspelt key');
      assert.deepEqual(checkNote(await archive.corpusFor([note]), note).diagnostics, expected);
    } finally {
      await archive.close();
    }
  });

  test('unknown keys get the suggestions the folder gives, from keys looked up by their trigrams, not the whole catalogue', async () => {
    const dir = join(work, 'keys');
    mkdirSync(dir);
    const keys = ['smith2019', 'smith2020', 'smyth2019', 'Smith2019a', 'smithe2019', 'a', 'ab', 'b2', 'x', 'doe', 'doe-2019', 'dow2019', 'li', 'lee', 'leigh', 'wang2018', 'wang2018b', 'mueller2020', 'müller2020', 'o-brien1999', 'obrien1999', 'van-der-berg2001'];
    // Filler keys that share years and letters with the ones above, so the lookup has keys to tell apart.
    for (let i = 0; i < 60; i++) keys.push(`${['smart', 'wong', 'lewis', 'doyle', 'berg'][i % 5]}${1960 + i}${'abc'[i % 3]}`);
    for (const key of keys) writeFileSync(join(dir, `${key}.txt`), `${key}, a source\nIt says what ${key} says, in words of its own.\n`);
    cluster.psql('postgres', 'create database keys');
    const url = cluster.url('keys');
    const local = await loadCorpus(dir);
    assert.equal(local.sources.length, keys.length);
    await index(url, local);
    const cited = ['smith219', 'SMITH2019X', 'smiht2019', 'c', 'y', 'a1', 'dow', 'muller2020', 'mûller2020', 'wang218', 'zzzzzzzzzzzz', 'q', 'obrian1999', 'vanderberg2001', 'lewis1962', 'bergg1964c', 'l', 'smith2019'];
    const notes = cited.map((key) => `Cited: see [@${key}].\n`);
    notes.push(`All at once: "what smith2019 says" ${cited.map((key) => `[@${key}]`).join(', ')}.\n`);
    const archive = await PostgresArchive.open(url);
    try {
      let suggested = 0;
      let none = 0;
      for (const note of notes) {
        const remote = await archive.corpusFor([note]);
        const expected = checkNote(local, note).diagnostics;
        assert.deepEqual(checkNote(remote, note).diagnostics, expected, note);
        suggested += expected.filter((d) => /did you mean/.test(d.message)).length;
        none += expected.filter((d) => /no source in the corpus has this key/.test(d.message)).length;
        // Only the keys a note involves are read, the cited one and the three suggested at most: never the whole catalogue.
        if (note.startsWith('Cited')) assert.ok(remote.sources.length <= 3, `${remote.sources.length} sources for ${note}`);
      }
      assert.ok(suggested > 15 && none >= 2, `${suggested} suggestions, ${none} without`);
    } finally {
      await archive.close();
    }
  });

  test('the read-only role reads the archive and cannot write it', async () => {
    cluster.psql('postgres', 'create database readonly');
    const url = cluster.url('readonly');
    await index(url, await loadCorpus(corpusDir));
    cluster.psql('readonly', `create role editor login in role ${READER_ROLE}`);
    const reader = cluster.url('readonly', 'editor');
    const archive = await PostgresArchive.open(reader);
    try {
      const corpus = await archive.corpusFor(['"like an anaconda" [@korybko2021]']);
      assert.ok(corpus.byKey.get('korybko2021')?.paragraphs.some((p) => p.text.includes('like an anaconda')));
      assert.equal((await archive.catalogue()).sources.length, 5);
    } finally {
      await archive.close();
    }
    await withClient(reader, async (client) => {
      await assert.rejects(client.query("delete from verbatim_sources where key = 'gul2021'"), /permission denied/);
      await assert.rejects(client.query("update verbatim_paragraphs set text = 'x'"), /permission denied/);
      await assert.rejects(client.query('create table mine (x int)'), /permission denied/);
    });
    const denied = run(['index', '--corpus', corpusDir, '--to', reader]);
    assert.equal(denied.status, 2);
    assert.match(denied.stderr, /^verbatim: Cannot write the archive at .*: permission denied/);
  });

  test('a database with no archive is a clear message, not a crash', async () => {
    cluster.psql('postgres', 'create database empty');
    await assert.rejects(PostgresArchive.open(cluster.url('empty')), (error: unknown) => error instanceof ArchiveUnavailable && /holds no Verbatim archive/.test(error.message));
    const result = run(['check', '--corpus', cluster.url('empty'), join(root, 'examples')]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /holds no Verbatim archive; create one with "verbatim index/);
  });
});

describe('an unreachable archive', () => {
  test('verbatim check says it cannot connect and exits 2', () => {
    const folder = mkdtempSync(join(tmpdir(), 'verbatim-nopg-'));
    const url = `postgres://verbatim:secret@/verbatim?host=${folder}`;
    const result = run(['check', '--corpus', url, join(root, 'examples')]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^verbatim: Cannot connect to the archive at postgres:\/\/verbatim:\*\*\*@\/verbatim\?host=.*: /);
    assert.doesNotMatch(result.stderr, /secret/);
    assert.equal(result.stdout, '');
    const indexed = run(['index', '--corpus', corpusDir, '--to', url]);
    assert.equal(indexed.status, 2);
    assert.match(indexed.stderr, /Cannot connect to the archive/);
  });
});
