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
import { keyTrigrams } from './keys.js';
import { COMMON_WORD } from '../../match/approximate.js';

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
  /** How many words the postings table was written with (0 when it was left as it was), and the milliseconds it took. */
  postingWords: number;
  postingsMs: number;
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
  key_trigrams: string[];
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
  return { ...row, content_hash, key_trigrams: keyTrigrams(source.key) };
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

const SOURCE_COLUMNS = 'key, path, format, text, pages, metadata, item, text_length, paragraph_starts, paragraph_ends, content_hash, key_trigrams';

function* sourceLines(rows: readonly SourceRow[]): Generator<string> {
  for (const r of rows) {
    yield copyLine([r.key, r.path, r.format, r.text, r.pages, r.metadata, r.item, r.text_length, intArray(r.paragraph_starts), intArray(r.paragraph_ends), r.content_hash, textArray(r.key_trigrams.map(withoutNul))]);
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

/** Each paragraph's words as retrieval compares them, per source: tokenised once per run, for the paragraph rows and the postings. */
class ParagraphWords {
  private readonly bySource = new Map<Source, string[]>();

  of(source: Source): string[] {
    let words = this.bySource.get(source);
    if (!words) {
      const decodeEntities = source.format !== 'markdown';
      words = source.paragraphs.map((p) => searchWords(p.text, decodeEntities));
      this.bySource.set(source, words);
    }
    return words;
  }
}

function* paragraphLines(sources: readonly Source[], words: ParagraphWords): Generator<string> {
  let chunk = '';
  let rows = 0;
  for (const source of sources) {
    const pages = source.pages ?? [];
    const paragraphWords = words.of(source);
    for (const [i, p] of source.paragraphs.entries()) {
      const on = pages.flatMap((page, i) => (page.start < Math.max(p.end, p.start + 1) && page.end > p.start ? [i] : []));
      const map = mapOf(p);
      chunk += copyLine([
        source.key,
        p.number,
        withoutNul(p.text),
        paragraphWords[i],
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

/** Every lower-cased word of the corpus with how often it occurs, as the local index counts it. */
function* countedWords(index: CandidateIndex): Generator<[string, number]> {
  const { folded, kinds, size } = index.vocabulary;
  for (let id = 0; id < size; id++) {
    if (folded[id] !== id || kinds[id] !== TokenKind.Word) continue;
    const frequency = index.frequency(id);
    if (frequency > 0) yield [withoutNul(index.vocabulary.text(id)), frequency];
  }
}

/** The counted words: one COPY line each. */
function* wordLines(index: CandidateIndex): Generator<string> {
  let chunk = '';
  for (const [word, frequency] of countedWords(index)) {
    chunk += copyLine([word, frequency]);
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

/** One word's postings: the sources (by id) and numbers of the paragraphs holding it, in corpus order. */
interface WordPostings {
  sourceIds: number[];
  numbers: number[];
}

/**
 * The postings of every word of at most COMMON_WORD occurrences (the most a
 * near match's word may have), from every paragraph's words: one COPY line a
 * word. Commoner words are left to the GIN index, which phrase lookups read.
 */
function* postingLines(sources: readonly Source[], words: ParagraphWords, ids: ReadonlyMap<string, number>, rare: ReadonlySet<string>): Generator<string> {
  const byWord = new Map<string, WordPostings>();
  for (const source of sources) {
    const id = ids.get(source.key);
    if (id === undefined) continue;
    for (const [i, paragraph] of words.of(source).entries()) {
      for (const word of new Set(paragraph.split(' '))) {
        if (!rare.has(word)) continue;
        let entry = byWord.get(word);
        if (!entry) byWord.set(word, (entry = { sourceIds: [], numbers: [] }));
        entry.sourceIds.push(id);
        entry.numbers.push(source.paragraphs[i].number);
      }
    }
  }
  let chunk = '';
  for (const [word, { sourceIds, numbers }] of byWord) {
    chunk += copyLine([word, intArray(sourceIds), intArray(numbers)]);
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** Between a key's trigrams when they are sent joined: no key holds it. */
const TRIGRAM_SEPARATOR = '\u0001';

/**
 * Rewrites the postings table, which is the whole corpus's (a word's
 * paragraphs, and whether it is rare enough to be listed, change with any
 * source), and writes the key trigrams of rows that lack them (an archive
 * migrated from schema 3).
 */
async function storePostings(client: ClientBase, corpus: Corpus, words: ParagraphWords): Promise<number> {
  const ids = new Map((await client.query<{ key: string; id: number }>('select key, id from verbatim_sources')).rows.map((r) => [r.key, r.id]));
  const rare = new Set<string>();
  for (const [word, frequency] of countedWords(corpus.index)) if (frequency <= COMMON_WORD) rare.add(word);
  await client.query('delete from verbatim_postings');
  await copyInto(client, 'verbatim_postings', 'word, source_ids, numbers', postingLines(corpus.sources, words, ids, rare));
  const untrigrammed = (await client.query<{ key: string }>('select key from verbatim_sources where key_trigrams is null')).rows.map((r) => r.key);
  if (untrigrammed.length > 0) {
    await client.query(
      `update verbatim_sources s set key_trigrams = string_to_array(t.trigrams, $3)
       from unnest($1::text[], $2::text[]) as t(key, trigrams) where s.key = t.key`,
      [untrigrammed, untrigrammed.map((key) => keyTrigrams(key).map(withoutNul).join(TRIGRAM_SEPARATOR)), TRIGRAM_SEPARATOR],
    );
  }
  return Number((await client.query<{ n: string }>('select count(*) as n from verbatim_postings')).rows[0].n);
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
  const report: IndexReport = { added: [], replaced: [], unchanged: 0, removed: [], paragraphs: 0, rebuiltIndexes: false, copyMs: 0, indexMs: 0, words: 0, postingWords: 0, postingsMs: 0 };
  const words = new ParagraphWords();
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
      await copyInto(client, 'verbatim_paragraphs', PARAGRAPH_COLUMNS, paragraphLines(written, words));
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
    // Word counts and postings are the corpus's: any change of source changes them (and an archive just migrated has none).
    const counted = (await client.query<{ n: string }>('select count(*) as n from verbatim_statistics')).rows[0].n !== '0';
    if (rows.length > 0 || gone.length > 0 || !counted) {
      report.words = await storeWordStatistics(client, corpus.index);
      const posting = performance.now();
      report.postingWords = await storePostings(client, corpus, words);
      report.postingsMs = performance.now() - posting;
    }
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
