import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Corpus, Source } from '../corpus.js';
import type { ParagraphText } from '../paragraphs.js';
import type { CandidateIndex } from '../store.js';
import { isWord, tokenize, TokenKind } from '../../text/tokens.js';
import { SEARCH_INDEXES } from './schema.js';

/** What one run of the indexer did. */
export interface IndexReport {
  added: string[];
  replaced: string[];
  unchanged: number;
  removed: string[];
  paragraphs: number;
  /** Whether the search indexes were dropped for the load and built again after it. */
  rebuiltIndexes: boolean;
  /** Milliseconds spent streaming rows in with COPY, and building the search indexes after them. */
  copyMs: number;
  indexMs: number;
  /** How many distinct words the archive's frequency table was written with (0 when it was left as it was). */
  words: number;
}

/** A paragraph's words as retrieval compares them: Verbatim's tokens, lower-cased, one space apart. */
function searchWords(text: string, decodeEntities: boolean): string {
  return tokenize(text, { decodeEntities })
    .filter(isWord)
    .map((t) => t.text.toLowerCase())
    .join(' ');
}

/** PostgreSQL text cannot hold NUL; a source's NULs are never quoted words anyway. */
function withoutNul(text: string): string {
  return text.replaceAll('\0', '\uFFFD');
}

interface SourceRow {
  key: string;
  path: string;
  format: string;
  text: string;
  pages: string | null;
  metadata: string | null;
  item: string | null;
  text_length: number;
  paragraph_starts: number[];
  paragraph_ends: number[];
  content_hash: string;
}

function sourceRow(source: Source): SourceRow {
  const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
  const row = {
    key: source.key,
    path: source.path,
    format: source.format,
    text: withoutNul(source.text),
    pages: json(source.pages),
    metadata: json(source.metadata),
    item: json(source.item),
    text_length: source.text.length,
    paragraph_starts: source.paragraphs.map((p) => p.start),
    paragraph_ends: source.paragraphs.map((p) => p.end),
  };
  const content_hash = createHash('sha256').update(JSON.stringify(row)).digest('hex');
  return { ...row, content_hash };
}

/** One field in COPY's text format: backslash, tab and line ends escaped, null as `\N`. */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/gu, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A PostgreSQL array literal of integers (`{1,2,3}`). */
function intArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** A PostgreSQL array literal of texts, every element quoted. */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/gu, (c) => `\\${c}`)}"`).join(',')}}`;
}

function copyLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(copyField).join('\t')}\n`;
}

const SOURCE_COLUMNS = 'key, path, format, text, pages, metadata, item, text_length, paragraph_starts, paragraph_ends, content_hash';

function* sourceLines(rows: readonly SourceRow[]): Generator<string> {
  for (const r of rows) {
    yield copyLine([r.key, r.path, r.format, r.text, r.pages, r.metadata, r.item, r.text_length, intArray(r.paragraph_starts), intArray(r.paragraph_ends), r.content_hash]);
  }
}

const PARAGRAPH_COLUMNS = 'source_key, number, text, words, page_indices, page_labels, raw, map_starts, map_ends';

/** The file's characters between the paragraph's offsets when its prose is not that slice (markdown), else null. */
function rawOf(source: Source, paragraph: ParagraphText): string | null {
  if (!paragraph.map) return null;
  return withoutNul(source.text.slice(paragraph.start, paragraph.end));
}

/** The file offsets of each prose unit of a markdown paragraph: what turns a token's place in the prose into one in the file. */
function mapOf(paragraph: ParagraphText): { starts: string; ends: string } | null {
  const map = paragraph.map;
  if (!map) return null;
  const starts = Array.from(map.starts, (s) => s + map.delta);
  const ends = Array.from(map.ends, (e) => e + map.delta);
  return { starts: intArray(starts), ends: intArray(ends) };
}

/** Rows per chunk written to the COPY stream. */
const CHUNK_ROWS = 500;

function* paragraphLines(sources: readonly Source[]): Generator<string> {
  let chunk = '';
  let rows = 0;
  for (const source of sources) {
    const decodeEntities = source.format !== 'markdown';
    const pages = source.pages ?? [];
    for (const p of source.paragraphs) {
      const on = pages.flatMap((page, i) => (page.start < Math.max(p.end, p.start + 1) && page.end > p.start ? [i] : []));
      const map = mapOf(p);
      chunk += copyLine([
        source.key,
        p.number,
        withoutNul(p.text),
        searchWords(p.text, decodeEntities),
        intArray(on),
        textArray(on.map((i) => pages[i].label)),
        rawOf(source, p),
        map?.starts ?? null,
        map?.ends ?? null,
      ]);
      if (++rows % CHUNK_ROWS === 0) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk) yield chunk;
}

/** Streams rows into a table with COPY … FROM STDIN (pg-copy-streams), with backpressure. */
async function copyInto(client: ClientBase, table: string, columns: string, lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(lines, { objectMode: false }), client.query(copyFrom(`copy ${table} (${columns}) from stdin`)));
}

/** Every lower-cased word of the corpus with how often it occurs, as the local index counts it: one COPY line each. */
function* wordLines(index: CandidateIndex): Generator<string> {
  const { folded, kinds, size } = index.vocabulary;
  let chunk = '';
  for (let id = 0; id < size; id++) {
    if (folded[id] !== id || kinds[id] !== TokenKind.Word) continue;
    const frequency = index.frequency(id);
    if (frequency === 0) continue;
    chunk += copyLine([withoutNul(index.vocabulary.text(id)), frequency]);
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Rewrites the word frequencies and the token count, which are the whole
 * corpus's: the local index's own figures, so the archive picks a quotation's
 * rarest words and weighs them as the folder does.
 */
async function storeWordStatistics(client: ClientBase, index: CandidateIndex): Promise<number> {
  await client.query('delete from verbatim_words');
  await client.query('delete from verbatim_statistics');
  await copyInto(client, 'verbatim_words', 'word, frequency', wordLines(index));
  await client.query('insert into verbatim_statistics (token_count) values ($1)', [index.tokenCount]);
  return Number((await client.query<{ n: string }>('select count(*) as n from verbatim_words')).rows[0].n);
}

/**
 * Above this many new paragraphs (and a quarter of those already stored), the
 * search indexes are dropped before the load and built again after it: one
 * build over the whole table is many times faster than updating two GIN
 * indexes row by row.
 */
const BULK_PARAGRAPHS = 20000;

/**
 * Makes the archive hold exactly the corpus: a new source is added, a changed
 * one (by content hash) replaced, one no longer in the corpus removed, and an
 * unchanged one left alone, so running it again changes nothing. New rows go
 * in with COPY. One transaction: readers see the archive before or after,
 * never half of it (during a bulk load, which rebuilds the search indexes,
 * they wait for it to commit).
 */
export async function storeCorpus(client: ClientBase, corpus: Corpus): Promise<IndexReport> {
  const report: IndexReport = { added: [], replaced: [], unchanged: 0, removed: [], paragraphs: 0, rebuiltIndexes: false, copyMs: 0, indexMs: 0, words: 0 };
  await client.query('begin');
  try {
    const existing = new Map((await client.query<{ key: string; content_hash: string }>('select key, content_hash from verbatim_sources')).rows.map((r) => [r.key, r.content_hash]));
    const rows: SourceRow[] = [];
    const written: Source[] = [];
    for (const source of corpus.sources) {
      const row = sourceRow(source);
      const hash = existing.get(source.key);
      existing.delete(source.key);
      if (hash === row.content_hash) {
        report.unchanged++;
        continue;
      }
      (hash === undefined ? report.added : report.replaced).push(source.key);
      rows.push(row);
      written.push(source);
      report.paragraphs += source.paragraphs.length;
    }
    report.removed.push(...existing.keys());
    const gone = [...report.replaced, ...report.removed];
    if (gone.length > 0) await client.query('delete from verbatim_sources where key = any($1::text[])', [gone]);
    if (rows.length > 0) {
      const stored = Number((await client.query<{ n: string }>('select count(*) as n from verbatim_paragraphs')).rows[0].n);
      report.rebuiltIndexes = report.paragraphs > BULK_PARAGRAPHS && report.paragraphs > stored / 4;
      if (report.rebuiltIndexes) for (const name of Object.keys(SEARCH_INDEXES)) await client.query(`drop index if exists ${name}`);
      const copying = performance.now();
      await copyInto(client, 'verbatim_sources', SOURCE_COLUMNS, sourceLines(rows));
      await copyInto(client, 'verbatim_paragraphs', PARAGRAPH_COLUMNS, paragraphLines(written));
      report.copyMs = performance.now() - copying;
      if (report.rebuiltIndexes) {
        const indexing = performance.now();
        // Memory for the index builds, for this transaction only.
        await client.query(`set local maintenance_work_mem = '256MB'`);
        for (const sql of Object.values(SEARCH_INDEXES)) await client.query(sql);
        await client.query('analyze verbatim_paragraphs');
        report.indexMs = performance.now() - indexing;
      }
    }
    // Word counts are the corpus's: any change of source changes them (and an archive just migrated has none).
    const counted = (await client.query<{ n: string }>('select count(*) as n from verbatim_statistics')).rows[0].n !== '0';
    if (rows.length > 0 || gone.length > 0 || !counted) report.words = await storeWordStatistics(client, corpus.index);
    // The problems are the folder's as it is now: replaced whole when they changed, else left alone.
    const problems = corpus.problems.map((p) => ({ path: p.path, range: p.range ?? null, severity: p.severity, message: p.message }));
    const stored = await client.query<{ path: string; range: unknown; severity: string; message: string }>('select path, range, severity, message from verbatim_problems order by id');
    if (!isDeepStrictEqual(stored.rows, problems)) {
      await client.query('delete from verbatim_problems');
      for (const problem of problems) {
        await client.query('insert into verbatim_problems (path, range, severity, message) values ($1, $2, $3, $4)', [problem.path, problem.range ? JSON.stringify(problem.range) : null, problem.severity, problem.message]);
      }
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return report;
}
