import type { ClientBase } from 'pg';
import { CANDIDATES, rareWords, rareWordWeight } from '../../match/approximate.js';
import { quotationPattern, type PatternPiece } from '../../match/pattern.js';

/** What the archive is asked for one quotation: phrases that must stand in a paragraph, and its words for near matches. */
export interface QuotationQuery {
  /** Runs of consecutive words (lower-cased, one space apart), each looked for as they stand. */
  readonly phrases: readonly string[];
  /** Its words as the aligner reads them (the conventional reading, bracket contents left out), lower-cased. */
  readonly words: readonly string[];
  /** The whole quotation as one phrase (absent for a one-word quotation). */
  readonly literal?: string;
}

/** A paragraph the archive returned as possibly holding a quotation. */
export interface CandidateParagraph {
  readonly query: number;
  readonly key: string;
  readonly number: number;
  /** A near-match candidate: the aligner reads the paragraphs either side of it too. */
  readonly near?: boolean;
}

/** What the archive knows of the corpus's words: the local index's counts, for the quotations' words. */
export interface WordStatistics {
  /** Lower-cased word → how many times it occurs in the archive (words it lacks are absent). */
  readonly frequencies: ReadonlyMap<string, number>;
  /** Every token of the archive (words and marks), as the local index counts them. */
  readonly tokenCount: number;
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
  const joined = literal.join(' ');
  // The aligner's reading (see nearQuery in judge.ts): the conventional one when there is one.
  const read = pattern.conventional ? pattern.conventional.flatMap((piece) => piece.flatMap((e) => (e.kind === 'token' && e.isWord ? [e.text.toLowerCase()] : []))) : literal;
  return { phrases: [...new Set(chosen.map((run) => run.join(' ')))], words: read, literal: literal.length > 1 ? joined : undefined };
}

/** How many paragraphs apart a quotation's runs may stand and still be taken as found together. */
const RUNS_SPAN = 10;
/** Phrase matches per phrase: enough to see every source that holds a quoted passage. */
const PHRASE_CANDIDATES = 500;
/** A phrase is looked up by this many of its rarest words (the postings intersected), then read in each paragraph. */
const PHRASE_KEYS = 2;

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

/** The archive's counts of these words (one round trip; words it lacks are left out). */
async function wordFrequencies(client: ClientBase, words: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(words)];
  if (wanted.length === 0) return new Map();
  const result = await client.query<{ word: string; frequency: number }>('select word, frequency from verbatim_words where word = any($1::text[])', [wanted]);
  return new Map(result.rows.map((r) => [r.word, r.frequency]));
}

/**
 * Paragraphs holding each phrase's words consecutively: looked up by the
 * phrase's rarest words in the word postings, then the phrase is read in each
 * paragraph's words. A phrase with a word the archive lacks is in no paragraph.
 */
async function phraseMatches(client: ClientBase, phrases: readonly string[], frequencies: ReadonlyMap<string, number>): Promise<{ phrase: number; key: string; number: number }[]> {
  const asked: { phrase: number; keys: string[] }[] = [];
  phrases.forEach((phrase, i) => {
    const words = [...new Set(phrase.split(' '))];
    if (words.some((w) => !frequencies.has(w))) return;
    asked.push({ phrase: i, keys: words.sort((a, b) => (frequencies.get(a) ?? 0) - (frequencies.get(b) ?? 0)).slice(0, PHRASE_KEYS) });
  });
  if (asked.length === 0) return [];
  const result = await client.query<{ phrase: number; key: string; number: number }>(
    `select q.phrase, p.source_key as key, p.number
     from unnest($1::integer[], $2::text[], $3::text[], $4::text[]) as q(phrase, rarest, second, padded)
     cross join lateral (
       select source_key, number from verbatim_paragraphs
       where string_to_array(words, ' ') @> array_remove(array[q.rarest, q.second], null)
         and strpos(' ' || words || ' ', q.padded) > 0
       limit ${PHRASE_CANDIDATES}
     ) p`,
    [asked.map((a) => a.phrase), asked.map((a) => a.keys[0]), asked.map((a) => a.keys[1] ?? null), asked.map((a) => ` ${phrases[a.phrase]} `)],
  );
  return result.rows;
}

/** A paragraph holding a word: its source's key and path (the folder's order is by path) and its number. */
interface Posting {
  readonly key: string;
  readonly path: string;
  readonly number: number;
}

/**
 * Where each word stands: the paragraphs holding it. A word of the postings
 * table (every word rare enough to be a near match's) costs one index lookup
 * and the sources' rows; any other is read from the GIN index, a heap fetch
 * per paragraph. One round trip each, for all the words.
 */
async function postings(client: ClientBase, words: readonly string[]): Promise<Map<string, Posting[]>> {
  const byWord = new Map<string, Posting[]>(words.map((w) => [w, []]));
  if (words.length === 0) return byWord;
  const listed = await client.query<{ word: string; source_ids: number[]; numbers: number[] }>('select word, source_ids, numbers from verbatim_postings where word = any($1::text[])', [words]);
  const ids = [...new Set(listed.rows.flatMap((r) => r.source_ids))];
  const sources = ids.length === 0 ? [] : (await client.query<{ id: number; key: string; path: string }>('select id, key, path from verbatim_sources where id = any($1::integer[])', [ids])).rows;
  const byId = new Map(sources.map((s) => [s.id, s]));
  for (const { word, source_ids, numbers } of listed.rows) {
    const places = byWord.get(word);
    source_ids.forEach((id, i) => {
      const source = byId.get(id);
      if (source) places?.push({ key: source.key, path: source.path, number: numbers[i] });
    });
  }
  const unlisted = words.filter((w) => !listed.rows.some((r) => r.word === w));
  if (unlisted.length === 0) return byWord;
  const result = await client.query<{ word: string; key: string; path: string; number: number }>(
    `select w.word, s.key, s.path, p.number
     from unnest($1::text[]) as w(word)
     cross join lateral (select source_key, number from verbatim_paragraphs where string_to_array(words, ' ') @> array[w.word]) p
     join verbatim_sources s on s.key = p.source_key`,
    [unlisted],
  );
  for (const row of result.rows) byWord.get(row.word)?.push({ key: row.key, path: row.path, number: row.number });
  return byWord;
}

/** Each source's place among these, as in the folder: by path as JavaScript compares strings, then by key. */
export function ordinalsByPath(sources: Iterable<{ readonly key: string; readonly path: string }>): Map<string, number> {
  const distinct = new Map<string, string>();
  for (const { key, path } of sources) distinct.set(key, path);
  const ordered = [...distinct].sort(([ka, pa], [kb, pb]) => pa.localeCompare(pb) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return new Map(ordered.map(([key], i) => [key, i]));
}

/**
 * The paragraphs the local index would align for this quotation, among the
 * sources `accept` takes: scored by the rare words they hold, each weighed
 * as the local index weighs it, best first; a tie goes to the paragraph met
 * first reading the chosen words' postings in corpus order, as there.
 */
function nearest(
  chosen: readonly { word: string; weight: number }[],
  places: ReadonlyMap<string, readonly Posting[]>,
  ordinals: ReadonlyMap<string, number>,
  accept: (key: string) => boolean,
): { key: string; number: number }[] {
  const scores = new Map<string, { key: string; number: number; score: number; word: number; ordinal: number }>();
  chosen.forEach(({ word, weight }, w) => {
    for (const { key, number } of places.get(word) ?? []) {
      if (!accept(key)) continue;
      const id = `${key}\u0000${number}`;
      const entry = scores.get(id) ?? { key, number, score: 0, word: w, ordinal: ordinals.get(key) ?? 0 };
      entry.score += weight;
      scores.set(id, entry);
    }
  });
  return [...scores.values()]
    .sort((a, b) => b.score - a.score || a.word - b.word || a.ordinal - b.ordinal || a.number - b.number)
    .slice(0, CANDIDATES)
    .map(({ key, number }) => ({ key, number }));
}

/**
 * Candidate paragraphs for the quotations, retrieved in PostgreSQL. Exact
 * and conventional quotations: the paragraphs holding the quotation's words
 * (or each run between its ellipses and brackets) consecutively. A quotation
 * with a citation whose words stand in order nowhere: the paragraphs the local
 * index would align — among the sources it cites, and among the others —
 * found by its rarest words (the archive's counts, the local index's rule
 * and postings budget) in the word postings, so both back ends align the same
 * candidates. `cited[i]` is undefined for a quotation without a citation
 * (the judge looks for no near match then). Paragraphs come back by key and
 * number, without their text.
 */
export async function candidateParagraphs(
  client: ClientBase,
  queries: readonly QuotationQuery[],
  cited: readonly (readonly string[] | undefined)[],
  tokenCount: number,
): Promise<{ candidates: CandidateParagraph[]; frequencies: Map<string, number> }> {
  const frequencies = await wordFrequencies(client, queries.flatMap((q) => [...q.words, ...q.phrases.flatMap((p) => p.split(' '))]));
  const phraseQuery: number[] = [];
  const phrases: string[] = [];
  queries.forEach((q, i) => {
    for (const phrase of q.phrases) {
      phraseQuery.push(i);
      phrases.push(phrase);
    }
  });
  const exact = (await phraseMatches(client, phrases, frequencies)).map((r) => ({ query: phraseQuery[r.phrase], phrase: r.phrase, key: r.key, number: r.number }));
  // Where a quotation's words stand in a paragraph in order, the judge finds it there — equal, or (case or
  // punctuation changed) nearest — and no other paragraph can be nearer: no near candidates are needed. Where only
  // every run between its ellipses and brackets stands in one source within a few paragraphs, the paragraphs
  // between them are fetched too (an ellipsis may leave out a paragraph break), but the conventions may still not
  // match there (a bracket standing in for words it may not replace), so near candidates are asked for as well.
  const anywhere = new Set<number>();
  const between: CandidateParagraph[] = [];
  const runHits = new Map<string, { query: number; key: string; hits: { number: number; run: string }[] }>();
  for (const r of exact) {
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
    for (let number = window.first + 1; number < window.last; number++) between.push({ query: i, key, number });
  }
  // Found in order somewhere, a quotation is judged as found (or as from another source) before any near match.
  const nearQueries = queries.flatMap((q, i) => {
    const keys = cited[i];
    if (keys === undefined || anywhere.has(i)) return [];
    const distinct = [...new Set(q.words)].map((word) => ({ word, frequency: frequencies.get(word) ?? 0 }));
    const chosen = rareWords(distinct).map(({ word, frequency }) => ({ word, weight: rareWordWeight(tokenCount, frequency) }));
    return [{ i, keys: new Set(keys), chosen }];
  });
  const places = await postings(client, [...new Set(nearQueries.flatMap((q) => q.chosen.map((c) => c.word)))]);
  // Ties go to the source first in the folder's order: the relative order of the sources met is enough.
  const ordinals = ordinalsByPath([...places.values()].flat());
  const near: CandidateParagraph[] = nearQueries.flatMap(({ i, keys, chosen }) =>
    [...nearest(chosen, places, ordinals, (key) => keys.has(key)), ...nearest(chosen, places, ordinals, (key) => !keys.has(key))].map((p) => ({ query: i, ...p, near: true })),
  );
  return { candidates: [...exact.map(({ query, key, number }) => ({ query, key, number })), ...between, ...near], frequencies };
}
