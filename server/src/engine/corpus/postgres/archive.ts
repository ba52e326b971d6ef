import type pg from 'pg';
import type { Corpus, Source, SourceFormat } from '../corpus.js';
import { CorpusIndex, Vocabulary } from '../index.js';
import type { ParagraphText } from '../paragraphs.js';
import type { CorpusProblem, CslItem, SourceMetadata } from '../bibliography.js';
import type { PageSpan } from '../extract/extracted.js';
import type { Range } from '../../text/lines.js';
import { MappedText } from '../../text/mapped-text.js';
import { checkNote } from '../../check.js';
import type { NoteCitation } from '../../note/analyze.js';
import { hasLineEndHyphen, readLineEndHyphens } from '../../note/line-end-hyphens.js';
import { figureClaims } from '../../checks/claim-unsupported.js';
import { ArchiveUnavailable, connectArchive, displayUrl, reason } from './connection.js';
import { schemaVersion, SCHEMA_VERSION } from './schema.js';
import { candidateParagraphs, ordinalsByPath, quotationQuery, type WordStatistics } from './retrieve.js';
import { suggestedKeys } from './keys.js';
import { TokenKind } from '../../text/tokens.js';

/** What the archive says of every source without reading its paragraphs: its key, path and format. */
interface CatalogueRow {
  key: string;
  path: string;
  format: SourceFormat;
}

/** A source's outline: everything but its text, with every paragraph's offsets. */
interface OutlineRow extends CatalogueRow {
  pages: PageSpan[] | null;
  metadata: SourceMetadata | null;
  item: CslItem | null;
  text_length: number;
  paragraph_starts: number[];
  paragraph_ends: number[];
}

/** One fetched paragraph: its prose, and for markdown the file's characters and the map between them. */
interface ParagraphRow {
  key: string;
  number: number;
  text: string;
  raw: string | null;
  map_starts: number[] | null;
  map_ends: number[] | null;
}

/** Every key a citation names, with those of the footnotes it cites through. */
function citedKeys(citations: readonly NoteCitation[], into: Set<string>): void {
  for (const citation of citations) {
    for (const item of citation.items) into.add(item.key);
    if (citation.footnote) citedKeys(citation.footnote, into);
  }
}

/**
 * The passages citations name, by key: the paragraphs of a paragraph locator, or the whole source for any
 * other (none, pages, sections) — a cited sentence's figures are looked for there (`claim-unsupported`), so
 * only the citations of sentences that state figures are asked for.
 */
function citedPassages(citations: readonly NoteCitation[], into: Map<string, Set<number> | 'whole'>): void {
  for (const citation of citations) {
    for (const { key, locator } of citation.items) {
      const named = locator?.kind === 'paragraph' ? locator.paragraphs : undefined;
      const known = into.get(key);
      if (known === 'whole') continue;
      if (!named) into.set(key, 'whole');
      else into.set(key, new Set([...(known ?? []), ...named]));
    }
    if (citation.footnote) citedPassages(citation.footnote, into);
  }
}

/**
 * The source's text as far as the check needs it: the fetched paragraphs'
 * characters at their own offsets, line breaks everywhere else, at the
 * source's full length — so that offsets, excerpts and repairs are the
 * source's own.
 */
function sparseText(length: number, paragraphs: readonly ParagraphText[], rows: ReadonlyMap<number, ParagraphRow>): string {
  const parts: string[] = [];
  let at = 0;
  for (const p of paragraphs) {
    const row = rows.get(p.number);
    if (!row || p.start < at) continue;
    const raw = row.raw ?? row.text;
    parts.push('\n'.repeat(p.start - at), raw);
    at = p.start + raw.length;
  }
  parts.push('\n'.repeat(Math.max(0, length - at)));
  return parts.join('');
}

/**
 * A source as the check sees it: every paragraph numbered and placed as in
 * the folder, those fetched with their words, the others empty (no words a
 * quotation could match). A stand-in (no outline) has no paragraphs: all a
 * check reads of a source a note neither cites nor has candidates in is its
 * key (`unknown-source` and its suggestions).
 */
function archivedSource(index: CorpusIndex, row: CatalogueRow | OutlineRow, fetched: ReadonlyMap<number, ParagraphRow>): Source {
  const outline = 'paragraph_starts' in row ? row : undefined;
  const ends = outline?.paragraph_ends ?? [];
  const paragraphs: ParagraphText[] = (outline?.paragraph_starts ?? []).map((start, i) => {
    const fetchedRow = fetched.get(i + 1);
    const base = { number: i + 1, start, end: ends[i] };
    if (!fetchedRow) return { ...base, text: '' };
    const map = fetchedRow.map_starts && fetchedRow.map_ends ? new MappedText(fetchedRow.text, Int32Array.from(fetchedRow.map_starts), Int32Array.from(fetchedRow.map_ends)) : undefined;
    return { ...base, text: fetchedRow.text, map };
  });
  const markdown = row.format === 'markdown';
  const text = outline ? sparseText(outline.text_length, paragraphs, fetched) : '';
  const spans = { count: paragraphs.length, decodeEntities: !markdown, text: (i: number) => paragraphs[i].text, from: () => 0, to: (i: number) => paragraphs[i].text.length };
  const indexed = index.addSource(text, spans, () => paragraphs, markdown);
  return {
    key: row.key,
    path: row.path,
    text,
    format: row.format,
    paragraphs,
    pages: outline?.pages ?? undefined,
    metadata: outline?.metadata ?? undefined,
    item: outline?.item ?? undefined,
    indexed,
  };
}

/**
 * The index of the paragraphs fetched for a check, counting words as the
 * whole archive does: the matcher picks a quotation's rarest words, weighs
 * them and judges how often its edge words recur by these counts, so over the
 * fetched paragraphs it makes the choices it makes over the folder. The
 * quotations' words are in its vocabulary even where no fetched paragraph
 * holds them, as every word of the archive is in the folder's.
 */
class ArchivedIndex extends CorpusIndex {
  constructor(private readonly statistics: WordStatistics) {
    const vocabulary = new Vocabulary();
    for (const word of statistics.frequencies.keys()) vocabulary.intern(word, TokenKind.Word);
    super(vocabulary);
  }

  override frequency(foldedId: number): number {
    return this.statistics.frequencies.get(this.vocabulary.text(foldedId)) ?? super.frequency(foldedId);
  }

  override get tokenCount(): number {
    return this.statistics.tokenCount;
  }
}

/**
 * A corpus of archived sources, in the folder's order among themselves (by
 * path). `partial`: the archive has sources this corpus does not list, so a
 * key it lacks is unknown even when it lists none.
 */
function archivedCorpus(
  listed: readonly CatalogueRow[],
  outlines: ReadonlyMap<string, OutlineRow>,
  paragraphs: ReadonlyMap<string, Map<number, ParagraphRow>>,
  problems: readonly CorpusProblem[],
  statistics?: WordStatistics,
  partial = false,
): Corpus {
  const index = statistics ? new ArchivedIndex(statistics) : new CorpusIndex();
  const none = new Map<number, ParagraphRow>();
  const ordinals = ordinalsByPath(listed);
  const ordered = [...new Map(listed.map((row) => [row.key, row])).values()].sort((a, b) => (ordinals.get(a.key) ?? 0) - (ordinals.get(b.key) ?? 0));
  const sources = ordered.map((row) => archivedSource(index, outlines.get(row.key) ?? row, paragraphs.get(row.key) ?? none));
  index.seal();
  return { sources, byKey: new Map(sources.map((s) => [s.key, s])), index, problems, pending: new Set(), partial };
}

/** Milliseconds a check's corpus took, phase by phase. */
export interface ArchiveTimings {
  /** Reading the notes' quotations and citations. */
  notes: number;
  /** The cited keys looked up (with their outlines), and suggestions for unknown ones. */
  keys: number;
  /** Word counts, phrase and postings queries: the candidate paragraphs. */
  candidates: number;
  /** The outlines of the candidates' other sources. */
  outlines: number;
  /** The fetched paragraphs' rows. */
  paragraphs: number;
  /** The in-memory corpus built from them. */
  corpus: number;
}

/** Paragraphs fetched around each candidate in a cited source: a quotation may run on into the next paragraph. */
const NEIGHBOURS = 1;

/**
 * A corpus kept in PostgreSQL (`verbatim index --to`). Notes are checked
 * against an in-memory corpus made for them: the sources they cite (looked
 * up by key), the paragraphs the archive finds as candidates for their
 * quotations (and those either side of a candidate in a cited source), and
 * the passages their citations name (where a cited sentence's figures are
 * looked for), in sources outlined whole — every paragraph numbered and
 * placed as in the folder, pages and metadata as indexed — so the engine
 * judges them as it judges a folder; an unknown key brings the keys suggested
 * for it, looked up by their trigrams. Nothing is read of the sources the
 * notes do not involve, so a check costs the candidates, not the archive's
 * size.
 */
export class PostgresArchive {
  /** Where the last corpusFor spent its time, in ms: what the benchmark reports. */
  lastTimings?: ArchiveTimings;
  /** The indexer's problems, the archive's token count, and whether it has a source: read once per connection. */
  private problemRows?: Promise<CorpusProblem[]>;
  private tokenTotal?: Promise<number>;
  private anySource?: Promise<boolean>;

  private constructor(
    private readonly client: pg.Client,
    readonly url: string,
  ) {}

  /** Connects and checks that the database holds an archive this version reads. */
  static async open(url: string): Promise<PostgresArchive> {
    const client = await connectArchive(url);
    try {
      const version = await schemaVersion(client);
      if (version === 0) throw new ArchiveUnavailable(`${displayUrl(url)} holds no Verbatim archive; create one with "verbatim index --corpus DIR --to ${displayUrl(url)}"`);
      if (version > SCHEMA_VERSION) throw new ArchiveUnavailable(`${displayUrl(url)} has archive schema ${version}; this Verbatim reads up to ${SCHEMA_VERSION}: update Verbatim`);
      if (version < SCHEMA_VERSION) throw new ArchiveUnavailable(`${displayUrl(url)} has archive schema ${version}; run "verbatim index" to migrate it to ${SCHEMA_VERSION}`);
      // Migrated, but not yet indexed since: the word counts, postings and key trigrams are written by "verbatim index".
      const counted = await client.query('select 1 from verbatim_statistics');
      if (counted.rows.length === 0) throw new ArchiveUnavailable(`${displayUrl(url)} has no word counts or postings yet (a migrated archive); run "verbatim index" to write them`);
    } catch (error) {
      await client.end().catch(() => undefined);
      if (error instanceof ArchiveUnavailable) throw error;
      throw new ArchiveUnavailable(`Cannot read the archive at ${displayUrl(url)}: ${reason(error)}`);
    }
    return new PostgresArchive(client, url);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /**
   * Every source by its key, path and format (no text), with the indexer's
   * problems: what an editor offers keys from. A check never reads it (see
   * corpusFor).
   */
  async catalogue(): Promise<Corpus> {
    const result = await this.client.query<CatalogueRow>('select key, path, format from verbatim_sources');
    this.problemRows ??= this.problems();
    const problems = await this.problemRows;
    return archivedCorpus(result.rows, new Map(), new Map(), problems);
  }

  private async tokenCount(): Promise<number> {
    const result = await this.client.query<{ token_count: string }>('select token_count from verbatim_statistics');
    return Number(result.rows[0]?.token_count ?? 0);
  }

  private async hasSource(): Promise<boolean> {
    return (await this.client.query('select 1 from verbatim_sources limit 1')).rows.length > 0;
  }

  private async problems(): Promise<CorpusProblem[]> {
    const result = await this.client.query<{ path: string; range: Range | null; severity: 'error' | 'warning'; message: string }>('select path, range, severity, message from verbatim_problems order by id');
    return result.rows.map((r) => ({ path: r.path, range: r.range ?? undefined, severity: r.severity, message: r.message }));
  }

  private async outlines(keys: readonly string[]): Promise<Map<string, OutlineRow>> {
    if (keys.length === 0) return new Map();
    const result = await this.client.query<OutlineRow>(
      'select key, path, format, pages, metadata, item, text_length, paragraph_starts, paragraph_ends from verbatim_sources where key = any($1::text[])',
      [keys],
    );
    return new Map(result.rows.map((r) => [r.key, r]));
  }

  private async paragraphs(wanted: ReadonlyMap<string, ReadonlySet<number>>): Promise<Map<string, Map<number, ParagraphRow>>> {
    const keys: string[] = [];
    const numbers: number[] = [];
    for (const [key, set] of wanted) {
      for (const n of set) {
        keys.push(key);
        numbers.push(n);
      }
    }
    const byKey = new Map<string, Map<number, ParagraphRow>>();
    if (keys.length === 0) return byKey;
    const result = await this.client.query<ParagraphRow>(
      `select p.source_key as key, p.number, p.text, p.raw, p.map_starts, p.map_ends
       from unnest($1::text[], $2::integer[]) as w(key, number)
       join verbatim_paragraphs p on p.source_key = w.key and p.number = w.number`,
      [keys, numbers],
    );
    for (const row of result.rows) {
      let rows = byKey.get(row.key);
      if (!rows) byKey.set(row.key, (rows = new Map<number, ParagraphRow>()));
      rows.set(row.number, row);
    }
    return byKey;
  }

  /** The corpus to check these notes against: see the class comment. */
  async corpusFor(notes: readonly string[]): Promise<Corpus> {
    const started = performance.now();
    // First the notes' quotations and citations (reading a note needs no source text).
    const empty = archivedCorpus([], new Map(), new Map(), []);
    const cited = new Set<string>();
    const passages = new Map<string, Set<number> | 'whole'>();
    const analysed = notes.map((note) => checkNote(empty, note, { severity: { 'claim-uncited': 'off' } }).analysis);
    for (const analysis of analysed) {
      citedKeys(analysis.citations, cited);
      // The passages a citation names are read only for the figures of a cited sentence (claim-unsupported).
      for (const claim of figureClaims(analysis.blocks)) citedPassages(claim.citations, passages);
    }
    const noted = performance.now();
    // The cited keys, looked up at once: those the archive has come outlined; each other brings its suggestions.
    const outlines = await this.outlines([...cited]);
    const suggested: CatalogueRow[] = [];
    for (const key of cited) if (!outlines.has(key)) suggested.push(...(await suggestedKeys(this.client, key)).map((row) => ({ ...row, format: row.format as SourceFormat })));
    // Each quotation text with the known keys it is judged against (none: no citation, no near match looked for).
    const queries = new Map<string, { text: string; keys: string[] | undefined }>();
    for (const analysis of analysed) {
      for (const quotation of analysis.quotations) {
        const named = new Set<string>();
        if (quotation.citation) citedKeys([quotation.citation], named);
        const keys = quotation.citation ? [...named].filter((key) => outlines.has(key)).sort() : undefined;
        const texts = [quotation.prose.text];
        // A hyphen at a line end is judged in both readings: look both up.
        if (hasLineEndHyphen(quotation.prose)) for (const reading of ['joined', 'hyphenated'] as const) texts.push(readLineEndHyphens(quotation.prose, reading).text);
        for (const text of texts) queries.set(`${keys?.join('\u0000') ?? '\u0001'}\u0002${text}`, { text, keys });
      }
    }
    const looked = performance.now();
    const asked = [...queries.values()];
    this.tokenTotal ??= this.tokenCount();
    const tokenCount = await this.tokenTotal;
    const { candidates, frequencies } = await candidateParagraphs(
      this.client,
      asked.map((q) => quotationQuery(q.text)),
      asked.map((q) => q.keys),
      tokenCount,
    );
    const searched = performance.now();
    const known = new Set(outlines.keys());
    for (const [key, row] of await this.outlines([...new Set(candidates.map((c) => c.key))].filter((key) => !outlines.has(key)))) outlines.set(key, row);
    const wanted = new Map<string, Set<number>>();
    for (const { key, number, near } of candidates) {
      const count = outlines.get(key)?.paragraph_starts.length ?? 0;
      // The aligner reads a near candidate with the paragraphs either side; a quotation may run on into the next.
      const around = near || known.has(key) ? NEIGHBOURS : 0;
      const set = wanted.get(key) ?? new Set<number>();
      for (let n = Math.max(1, number - around); n <= Math.min(count, number + around); n++) set.add(n);
      wanted.set(key, set);
    }
    for (const [key, named] of passages) {
      const count = outlines.get(key)?.paragraph_starts.length ?? 0;
      if (count === 0) continue;
      const set = wanted.get(key) ?? new Set<number>();
      if (named === 'whole') for (let n = 1; n <= count; n++) set.add(n);
      else for (const n of named) if (n >= 1 && n <= count) set.add(n);
      wanted.set(key, set);
    }
    // One query at a time on the connection.
    this.problemRows ??= this.problems();
    const problems = await this.problemRows;
    this.anySource ??= this.hasSource();
    const partial = await this.anySource;
    const outlined = performance.now();
    const fetched = await this.paragraphs(wanted);
    const read = performance.now();
    const listed = [...outlines.values(), ...suggested];
    const corpus = archivedCorpus(listed, outlines, fetched, problems, { frequencies, tokenCount }, partial);
    const built = performance.now();
    this.lastTimings = { notes: noted - started, keys: looked - noted, candidates: searched - looked, outlines: outlined - searched, paragraphs: read - outlined, corpus: built - read };
    return corpus;
  }
}
