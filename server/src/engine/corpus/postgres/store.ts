import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ClientBase } from 'pg';
import type { Corpus, Source } from '../corpus.js';
import { isWord, tokenize } from '../../text/tokens.js';

/** What one run of the indexer did. */
export interface IndexReport {
  added: string[];
  replaced: string[];
  unchanged: number;
  removed: string[];
  paragraphs: number;
}

/** A paragraph's words as retrieval compares them: Verbatim's tokens, lower-cased, one space apart. */
function searchWords(text: string, decodeEntities: boolean): string {
  return tokenize(text, { decodeEntities })
    .filter(isWord)
    .map((t) => t.text.toLowerCase())
    .join(' ');
}

interface SourceRow {
  key: string;
  path: string;
  format: string;
  text: string;
  pages: string | null;
  page_paragraphs: string | null;
  metadata: string | null;
  item: string | null;
  paragraph_count: number;
  content_hash: string;
}

/** For each page, the first and last paragraph on it, as `namedParagraphs` reads a page locator. */
function pageParagraphs(source: Source): ([number, number] | null)[] | undefined {
  return source.pages?.map((page) => {
    const on = source.paragraphs.filter((p) => p.start < page.end && p.end > page.start).map((p) => p.number);
    return on.length > 0 ? [on[0], on[on.length - 1]] : null;
  });
}

function sourceRow(source: Source): SourceRow {
  const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
  const row = {
    key: source.key,
    path: source.path,
    format: source.format,
    // PostgreSQL text cannot hold NUL; a source's NULs are never quoted words anyway.
    text: source.text.replaceAll('\0', '\uFFFD'),
    pages: json(source.pages),
    page_paragraphs: json(pageParagraphs(source)),
    metadata: json(source.metadata),
    item: json(source.item),
    paragraph_count: source.paragraphs.length,
  };
  const content_hash = createHash('sha256').update(JSON.stringify(row)).digest('hex');
  return { ...row, content_hash };
}

const BATCH = 1000;

async function insertParagraphs(client: ClientBase, source: Source): Promise<number> {
  const decodeEntities = source.format !== 'markdown';
  const pages = source.pages ?? [];
  const rows = source.paragraphs.map((p) => {
    const on = pages.flatMap((page, i) => (page.start < Math.max(p.end, p.start + 1) && page.end > p.start ? [i] : []));
    return { number: p.number, text: p.text.replaceAll('\0', '\uFFFD'), words: searchWords(p.text, decodeEntities), pages: on, labels: on.map((i) => pages[i].label) };
  });
  for (let i = 0; i < rows.length; i += BATCH) {
    await client.query(
      `insert into verbatim_paragraphs (source_key, number, text, words, page_indices, page_labels)
       select $1, x.number, x.text, x.words,
              array(select jsonb_array_elements_text(x.pages)::integer), array(select jsonb_array_elements_text(x.labels))
       from jsonb_to_recordset($2::jsonb) as x(number integer, text text, words text, pages jsonb, labels jsonb)`,
      [source.key, JSON.stringify(rows.slice(i, i + BATCH))],
    );
  }
  return rows.length;
}

/**
 * Makes the archive hold exactly the corpus: a new source is added, a changed
 * one (by content hash) replaced, one no longer in the corpus removed, and an
 * unchanged one left alone, so running it again changes nothing. One
 * transaction: readers see the archive before or after, never half of it.
 */
export async function storeCorpus(client: ClientBase, corpus: Corpus): Promise<IndexReport> {
  const report: IndexReport = { added: [], replaced: [], unchanged: 0, removed: [], paragraphs: 0 };
  await client.query('begin');
  try {
    const existing = new Map((await client.query<{ key: string; content_hash: string }>('select key, content_hash from verbatim_sources')).rows.map((r) => [r.key, r.content_hash]));
    for (const source of corpus.sources) {
      const row = sourceRow(source);
      const hash = existing.get(source.key);
      existing.delete(source.key);
      if (hash === row.content_hash) {
        report.unchanged++;
        continue;
      }
      if (hash === undefined) report.added.push(source.key);
      else {
        report.replaced.push(source.key);
        await client.query('delete from verbatim_sources where key = $1', [source.key]);
      }
      await client.query(
        `insert into verbatim_sources (key, path, format, text, pages, page_paragraphs, metadata, item, paragraph_count, content_hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [row.key, row.path, row.format, row.text, row.pages, row.page_paragraphs, row.metadata, row.item, row.paragraph_count, row.content_hash],
      );
      report.paragraphs += await insertParagraphs(client, source);
    }
    for (const key of existing.keys()) {
      await client.query('delete from verbatim_sources where key = $1', [key]);
      report.removed.push(key);
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
