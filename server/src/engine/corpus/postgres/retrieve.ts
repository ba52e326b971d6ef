import type { ClientBase } from 'pg';
import { quotationPattern, type PatternPiece } from '../../match/pattern.js';

/** What the archive is asked for one quotation: phrases that must stand in a paragraph, and its words for near matches. */
export interface QuotationQuery {
  /** Runs of consecutive words (lower-cased, one space apart), each searched as a full-text phrase. */
  readonly phrases: readonly string[];
  /** All its words, compared with paragraphs by trigram word similarity. */
  readonly words: string;
  /** The whole quotation as one phrase (absent for a one-word quotation). */
  readonly literal?: string;
}

/** A paragraph the archive returned as possibly holding a quotation. */
export interface CandidateParagraph {
  readonly query: number;
  readonly key: string;
  readonly number: number;
  /** Trigram word similarity, for candidates found as near matches. */
  readonly similarity?: number;
}

/** The runs of consecutive words in a piece, split where a bracket stands in for source words. */
function runsOf(piece: PatternPiece): string[][] {
  const runs: string[][] = [[]];
  for (const element of piece) {
    if (element.kind === 'gap') runs.push([]);
    else if (element.isWord) runs[runs.length - 1].push(element.text.toLowerCase());
  }
  return runs.filter((run) => run.length > 0);
}

/** Runs of this many words or more are searched; shorter ones only when a quotation has nothing longer. */
const LONG_RUN = 3;

/**
 * A quotation as the archive searches it: the whole literal text as one
 * phrase, and (for a quotation using the conventions) each run between its
 * ellipses and brackets. Short runs match too much to be worth a query
 * unless they are all the quotation has.
 */
export function quotationQuery(text: string): QuotationQuery {
  const pattern = quotationPattern(text);
  const literal = pattern.literal.filter((t) => t.isWord).map((t) => t.text.toLowerCase());
  const runs = [literal, ...(pattern.conventional ?? []).flatMap(runsOf)].filter((run) => run.length > 0);
  // The longest runs that are worth a query: a run of two common words ("of the") costs a scan of most of the
  // archive's postings, and the paragraph is found through a longer run anyway.
  const longest = Math.max(0, ...runs.map((run) => run.length));
  const chosen = longest > 1 ? runs.filter((run) => run.length >= Math.min(longest, LONG_RUN)) : runs.slice(0, 1);
  const words = literal.join(' ');
  return { phrases: [...new Set(chosen.map((run) => run.join(' ')))], words, literal: literal.length > 1 ? words : undefined };
}

/** Trigram word similarity below which a paragraph is not a near-match candidate: under the judge's weakest (0.34 by words). */
const TRIGRAM_THRESHOLD = 0.3;
/** Near-match candidates per quotation, and per quotation and cited source: the judge aligns a handful, best first. */
const NEAR_CANDIDATES = 10;
/** How many paragraphs apart a quotation's runs may stand and still be taken as found together. */
const RUNS_SPAN = 10;
/** Phrase matches per phrase: enough to see every source that holds a quoted passage. */
const PHRASE_CANDIDATES = 500;

/** The closest paragraphs of one source that hold every run, at most RUNS_SPAN apart, if there are such. */
function runsWindow(runs: readonly string[], hits: { number: number; run: string }[]): { first: number; last: number } | undefined {
  if (runs.length === 0) return undefined;
  hits.sort((a, b) => a.number - b.number);
  for (let start = 0; start < hits.length; start++) {
    const seen = new Set<string>();
    for (let end = start; end < hits.length && hits[end].number - hits[start].number <= RUNS_SPAN; end++) {
      seen.add(hits[end].run);
      if (runs.every((run) => seen.has(run))) return { first: hits[start].number, last: hits[end].number };
    }
  }
  return undefined;
}

/**
 * Candidate paragraphs for the quotations, retrieved in PostgreSQL: full-text
 * phrase matches (`phraseto_tsquery('simple', …)` over the paragraphs' words)
 * for exact and conventional quotations; for a quotation whose words stand in
 * no paragraph in order, trigram word similarity (`pg_trgm`'s `<%`,
 * GIN-indexed) over the archive, and the same within each source it cites (the
 * judge looks for the nearest passage in a cited source before any other). One round trip
 * for each kind; paragraphs come back by key and number, without their text.
 */
export async function candidateParagraphs(client: ClientBase, queries: readonly QuotationQuery[], cited: readonly (readonly string[])[]): Promise<CandidateParagraph[]> {
  const phraseQuery: number[] = [];
  const phrases: string[] = [];
  queries.forEach((q, i) => {
    for (const phrase of q.phrases) {
      phraseQuery.push(i);
      phrases.push(phrase);
    }
  });
  const exact = await client.query<{ query: number; phrase: number; key: string; number: number }>(
    `select q.query, q.phrase_index::integer - 1 as phrase, p.source_key as key, p.number
     from unnest($1::integer[], $2::text[]) with ordinality as q(query, phrase, phrase_index)
     cross join lateral (
       select source_key, number from verbatim_paragraphs
       where tsv @@ phraseto_tsquery('simple', q.phrase)
       limit ${PHRASE_CANDIDATES}
     ) p`,
    [phraseQuery, phrases],
  );
  // Where a quotation's words stand in a paragraph in order, or every run between its ellipses and brackets
  // stands in one source within a few paragraphs, the judge finds it there — equal, by the conventions, or (case
  // or punctuation changed) nearest — and no other paragraph can be nearer: no near candidates are needed, and
  // the paragraphs between the runs are fetched too (an ellipsis may leave out a paragraph break).
  const anywhere = new Set<number>();
  const between: CandidateParagraph[] = [];
  const runHits = new Map<string, { query: number; key: string; hits: { number: number; run: string }[] }>();
  for (const r of exact.rows) {
    const query = queries[r.query];
    if (query.literal !== undefined && phrases[r.phrase] === query.literal) {
      anywhere.add(r.query);
      continue;
    }
    const where = `${r.query}\u0000${r.key}`;
    const entry = runHits.get(where) ?? { query: r.query, key: r.key, hits: [] };
    entry.hits.push({ number: r.number, run: phrases[r.phrase] });
    runHits.set(where, entry);
  }
  for (const { query: i, key, hits } of runHits.values()) {
    const query = queries[i];
    const runs = query.phrases.filter((p) => p !== query.literal);
    const window = runsWindow(runs, hits);
    if (!window) continue;
    anywhere.add(i);
    for (let number = window.first + 1; number < window.last; number++) between.push({ query: i, key, number });
  }
  const wordQueries = queries.map((q, i) => ({ i, words: q.words })).filter((q) => q.words.length > 0 && !anywhere.has(q.i));
  // Found in order elsewhere, a quotation is judged as from another source before any near match is looked for.
  const citedPairs = wordQueries.flatMap(({ i, words }) => cited[i].map((key) => ({ i, key, words })));
  // The threshold the `<%` operator uses is a session setting.
  await client.query(`select set_config('pg_trgm.word_similarity_threshold', $1, false)`, [String(TRIGRAM_THRESHOLD)]);
  const near = await client.query<{ query: number; key: string; number: number; similarity: number }>(
    `select q.query, p.source_key as key, p.number, p.similarity
     from unnest($1::integer[], $2::text[]) as q(query, words)
     cross join lateral (
       select source_key, number, word_similarity(q.words, words) as similarity from verbatim_paragraphs
       where q.words <% words
       order by similarity desc
       limit ${NEAR_CANDIDATES}
     ) p`,
    [wordQueries.map((q) => q.i), wordQueries.map((q) => q.words)],
  );
  const nearCited = await client.query<{ query: number; key: string; number: number; similarity: number }>(
    `select q.query, q.key, p.number, p.similarity
     from unnest($1::integer[], $2::text[], $3::text[]) as q(query, key, words)
     cross join lateral (
       select number, word_similarity(q.words, words) as similarity from verbatim_paragraphs
       where source_key = q.key and q.words <% words
       order by similarity desc
       limit ${NEAR_CANDIDATES}
     ) p`,
    [citedPairs.map((p) => p.i), citedPairs.map((p) => p.key), citedPairs.map((p) => p.words)],
  );
  return [...exact.rows.map(({ query, key, number }) => ({ query, key, number })), ...between, ...near.rows, ...nearCited.rows];
}
