import type pg from 'pg';
import { buildCorpus, type BibliographyFile, type Corpus, type DocumentFormat, type SourceFile } from '../corpus.js';
import type { CorpusProblem, CslItem, SourceMetadata } from '../bibliography.js';
import type { PageSpan } from '../extract/extracted.js';
import type { Range } from '../../text/lines.js';
import { checkNote } from '../../check.js';
import type { NoteCitation } from '../../note/analyze.js';
import { hasLineEndHyphen, readLineEndHyphens } from '../../note/line-end-hyphens.js';
import { ArchiveUnavailable, connectArchive, displayUrl, reason } from './connection.js';
import { schemaVersion, SCHEMA_VERSION } from './schema.js';
import { candidateParagraphs, quotationQuery, type CandidateParagraph } from './retrieve.js';

/** What the archive says of every source without its text: its key and what the bibliography says of it. */
interface CatalogueRow {
  key: string;
  path: string;
  format: string;
  metadata: SourceMetadata | null;
  item: CslItem | null;
}

const DOCUMENT_FORMATS = new Set<string>(['pdf', 'html', 'docx']);

function documentFormat(format: string): DocumentFormat | undefined {
  return DOCUMENT_FORMATS.has(format) ? (format as DocumentFormat) : undefined;
}

/**
 * A source whose text was not fetched: its key and metadata, and no text.
 * Nothing a check reads of a source that a note neither cites nor has
 * candidate paragraphs in goes beyond its key (`unknown-source` and its
 * suggestions), so an empty stand-in judges as the real one; it costs nothing
 * to index, which is what keeps a check of one note independent of the
 * archive's size.
 */
function standIn(row: CatalogueRow): SourceFile {
  return { path: row.path, key: row.key, text: '', format: documentFormat(row.format), metadata: row.metadata ?? undefined };
}

interface SourceRow extends CatalogueRow {
  text: string;
  pages: PageSpan[] | null;
}

function fetched(row: SourceRow): SourceFile {
  return { path: row.path, key: row.key, text: row.text, format: documentFormat(row.format), pages: row.pages ?? undefined, metadata: row.metadata ?? undefined };
}

/** Every key a citation names, with those of the footnotes it cites through. */
function citedKeys(citations: readonly NoteCitation[], into: Set<string>): void {
  for (const citation of citations) {
    for (const item of citation.items) into.add(item.key);
    if (citation.footnote) citedKeys(citation.footnote, into);
  }
}

/**
 * A corpus kept in PostgreSQL (`verbatim index --to`). Notes are checked
 * against an in-memory corpus made for them: the sources they cite and the
 * sources where the archive finds candidate paragraphs for their quotations
 * are fetched whole, so paragraph numbers, offsets and pages are the
 * archive's own and the engine judges them as it judges a folder; every other
 * source stands in by its key only.
 */
export class PostgresArchive {
  /** The catalogue and the stand-in corpus notes are first read against: read once per connection. */
  private outline?: Promise<{ catalogue: CatalogueRow[]; corpus: Corpus }>;

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

  private async catalogue(): Promise<CatalogueRow[]> {
    const result = await this.client.query<CatalogueRow>('select key, path, format, metadata, item from verbatim_sources order by path');
    return result.rows;
  }

  private async problems(): Promise<CorpusProblem[]> {
    const result = await this.client.query<{ path: string; range: Range | null; severity: 'error' | 'warning'; message: string }>('select path, range, severity, message from verbatim_problems order by id');
    return result.rows.map((r) => ({ path: r.path, range: r.range ?? undefined, severity: r.severity, message: r.message }));
  }

  private async sources(keys: readonly string[]): Promise<SourceRow[]> {
    if (keys.length === 0) return [];
    const result = await this.client.query<SourceRow>('select key, path, format, text, pages, metadata, item from verbatim_sources where key = any($1::text[])', [keys]);
    return result.rows;
  }

  /** Candidate paragraphs for quotations, by their text (see `candidateParagraphs`). */
  async candidates(quotations: readonly string[]): Promise<CandidateParagraph[]> {
    return candidateParagraphs(this.client, quotations.map(quotationQuery));
  }

  /** The corpus to check these notes against: see the class comment. */
  async corpusFor(notes: readonly string[]): Promise<Corpus> {
    this.outline ??= this.catalogue().then((catalogue) => ({ catalogue, corpus: buildCorpus(catalogue.map(standIn), []) }));
    const { catalogue, corpus: outline } = await this.outline;
    const bibliography = (rows: readonly CatalogueRow[]): BibliographyFile => ({
      path: displayUrl(this.url),
      text: '',
      parsed: { entries: rows.flatMap((r) => (r.item ? [{ item: r.item, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [])), problems: [] },
    });
    // First the notes' quotations and citations (reading a note needs no source text).
    const texts = new Set<string>();
    const keys = new Set<string>();
    for (const note of notes) {
      const { analysis } = checkNote(outline, note, { severity: { 'claim-uncited': 'off' } });
      citedKeys(analysis.citations, keys);
      for (const quotation of analysis.quotations) {
        texts.add(quotation.prose.text);
        // A hyphen at a line end is judged in both readings: look both up.
        if (hasLineEndHyphen(quotation.prose)) for (const reading of ['joined', 'hyphenated'] as const) texts.add(readLineEndHyphens(quotation.prose, reading).text);
      }
    }
    for (const candidate of await this.candidates([...texts])) keys.add(candidate.key);
    const known = new Set(catalogue.map((r) => r.key));
    const whole = await this.sources([...keys].filter((k) => known.has(k)));
    const fetchedKeys = new Set(whole.map((r) => r.key));
    const files = [...whole.map(fetched), ...catalogue.filter((r) => !fetchedKeys.has(r.key)).map(standIn)];
    const corpus = buildCorpus(files, [bibliography(catalogue)]);
    // The problems are those the indexer found in the folder, not those of this partial rebuild.
    return { ...corpus, problems: await this.problems() };
  }
}
