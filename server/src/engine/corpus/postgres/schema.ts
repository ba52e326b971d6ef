import type { ClientBase } from 'pg';

/**
 * The archive's schema, as numbered migrations applied in order. Each runs in
 * a transaction with the version row it records, so a failed migration leaves
 * the database as it was. Never edit an applied migration: add the next one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The role an editor connects with: it may read the archive and nothing else. */
export const READER_ROLE = 'verbatim_reader';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sources and paragraphs, full-text and trigram indexes',
    sql: `
      create extension if not exists pg_trgm;

      -- One row per source: what the engine needs to rebuild it exactly as the folder loader did.
      create table verbatim_sources (
        key text primary key,
        path text not null,
        format text not null check (format in ('text', 'markdown', 'pdf', 'html', 'docx')),
        text text not null,
        -- A PDF's pages: [{label, start, end}] as offsets into text.
        pages jsonb,
        -- For each page, the first and last paragraph on it ([first, last], 1-based, or null): enough to resolve
        -- a page locator on a source whose text was not fetched.
        page_paragraphs jsonb,
        -- Title, authors, date… as the local corpus merged them; item is the bibliography entry (CSL-JSON).
        metadata jsonb,
        item jsonb,
        paragraph_count integer not null,
        -- SHA-256 of everything above: an unchanged source is not written again.
        content_hash text not null,
        indexed_at timestamptz not null default now()
      );

      -- One row per numbered paragraph: what candidate retrieval searches.
      create table verbatim_paragraphs (
        source_key text not null references verbatim_sources (key) on delete cascade,
        number integer not null,
        -- The paragraph's prose (markdown markup removed).
        text text not null,
        -- Its words as Verbatim's tokeniser normalises them, lower-cased, one space apart.
        words text not null,
        -- The indices (0-based) and labels of the PDF pages it is on.
        page_indices integer[] not null default '{}',
        page_labels text[] not null default '{}',
        tsv tsvector generated always as (to_tsvector('simple', words)) stored,
        primary key (source_key, number)
      );
      create index verbatim_paragraphs_tsv on verbatim_paragraphs using gin (tsv);
      create index verbatim_paragraphs_trgm on verbatim_paragraphs using gin (words gin_trgm_ops);

      -- What the loader found wrong with corpus files, reported by every check as a local corpus's are.
      create table verbatim_problems (
        id serial primary key,
        path text not null,
        range jsonb,
        severity text not null check (severity in ('error', 'warning')),
        message text not null
      );

      -- The read-only role: create login roles in it (see README, "A shared archive on PostgreSQL").
      do $$ begin
        if not exists (select from pg_roles where rolname = '${READER_ROLE}') then
          create role ${READER_ROLE} nologin;
        end if;
      end $$;
      grant usage on schema public to ${READER_ROLE};
      grant select on verbatim_sources, verbatim_paragraphs, verbatim_problems, verbatim_schema_version to ${READER_ROLE};
    `,
  },
  {
    version: 2,
    name: 'paragraph outlines and maps: a check fetches candidate paragraphs, not whole sources',
    sql: `
      -- Rows written by version 1 lack the offsets below: the archive is emptied, and the same "verbatim index"
      -- run that migrates it loads the folder again.
      delete from verbatim_problems;
      delete from verbatim_sources;
      alter table verbatim_sources
        drop column page_paragraphs,
        drop column paragraph_count,
        -- The text's length and every paragraph's offsets in it: a source's outline, read without its text.
        add column text_length integer not null,
        add column paragraph_starts integer[] not null,
        add column paragraph_ends integer[] not null;
      alter table verbatim_paragraphs
        -- The file's own characters between the paragraph's offsets, where they differ from its prose (markdown).
        add column raw text,
        -- For a markdown paragraph, the file offsets where each UTF-16 unit of its prose starts and ends.
        add column map_starts integer[],
        add column map_ends integer[];
    `,
  },
  {
    version: 3,
    name: 'word postings and corpus word frequencies: candidates by a quotation\'s rarest words',
    sql: `
      -- Each paragraph's words, as Verbatim's tokeniser reads them, indexed as a set: the postings a quotation's
      -- rarest words are looked up in. They replace the full-text and trigram indexes, whose scans grew with the
      -- archive (a trigram query read the postings of every trigram of the quotation, common ones included).
      set local maintenance_work_mem = '256MB';
      create index verbatim_paragraphs_words on verbatim_paragraphs using gin (string_to_array(words, ' '));
      drop index if exists verbatim_paragraphs_trgm;
      drop index if exists verbatim_paragraphs_tsv;
      alter table verbatim_paragraphs drop column if exists tsv;

      -- How often each lower-cased word occurs in the whole archive, and how many tokens it holds: the local
      -- index's own counts, so both choose a quotation's rarest words, and weigh them, alike. Written whole by
      -- every "verbatim index" run that changes a source; until the first such run after this migration it is
      -- empty and a check asks for it (see PostgresArchive.open).
      create table verbatim_words (
        word text primary key,
        frequency integer not null
      );
      create table verbatim_statistics (
        token_count bigint not null
      );
      grant select on verbatim_words, verbatim_statistics to ${READER_ROLE};
    `,
  },
  {
    version: 4,
    name: 'postings of rare words, source numbers, and key trigrams: a check reads no whole catalogue',
    sql: `
      -- A number for each source, so postings hold integers rather than keys.
      alter table verbatim_sources add column id integer generated always as identity unique;
      -- The key's trigrams (see keyTrigrams in keys.ts), looked up for an unknown key's suggestions; written by
      -- "verbatim index" (the run after this migration writes them for the rows already there).
      alter table verbatim_sources add column key_trigrams text[];
      create index verbatim_sources_key_trigrams on verbatim_sources using gin (key_trigrams);
      -- A key of one character has no trigram to share with its neighbours: they are found by length.
      create index verbatim_sources_key_length on verbatim_sources (length(key));

      -- One row per word of at most 20,000 occurrences (the most a near match's word may have): the paragraphs
      -- holding it, as source ids and paragraph numbers in two arrays of the same length. A word costs one index
      -- lookup instead of a heap fetch per paragraph. Written whole, with the word counts, by "verbatim index".
      create table verbatim_postings (
        word text primary key,
        source_ids integer[] not null,
        numbers integer[] not null
      );
      grant select on verbatim_postings to ${READER_ROLE};

      -- The rows stay; the next "verbatim index" run writes the counts again, with the postings and the key
      -- trigrams, and until then a check asks for that run (see PostgresArchive.open).
      delete from verbatim_words;
      delete from verbatim_statistics;
    `,
  },
];

/** The GIN index candidate retrieval reads: dropped before a bulk load and built again after it (see storeCorpus). */
export const SEARCH_INDEXES = {
  verbatim_paragraphs_words: `create index verbatim_paragraphs_words on verbatim_paragraphs using gin (string_to_array(words, ' '))`,
} as const;

/** The schema version this build of Verbatim reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The applied schema version, or 0 for a database Verbatim has never written to. */
export async function schemaVersion(client: ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>(`select to_regclass('verbatim_schema_version') is not null as present`);
  if (!exists.rows[0].present) return 0;
  const result = await client.query<{ version: number | null }>('select max(version) as version from verbatim_schema_version');
  return result.rows[0].version ?? 0;
}

/** Applies the pending migrations (up to `through`), each in its own transaction; returns the versions applied. */
export async function migrate(client: ClientBase, through = SCHEMA_VERSION): Promise<number[]> {
  // Two indexers starting at once would both see the same pending migrations: a lock makes the second wait.
  await client.query('select pg_advisory_lock(7626)');
  try {
    await client.query('create table if not exists verbatim_schema_version (version integer primary key, name text not null, applied_at timestamptz not null default now())');
    const current = await schemaVersion(client);
    const applied: number[] = [];
    for (const migration of MIGRATIONS.filter((m) => m.version > current && m.version <= through)) {
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query('insert into verbatim_schema_version (version, name) values ($1, $2)', [migration.version, migration.name]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('select pg_advisory_unlock(7626)');
  }
}
