import { CorpusIndex, type IndexedSource } from './index.js';
import { markdownParagraphs, plainTextLayout, plainTextParagraphs, type ParagraphText } from './paragraphs.js';
import type { Range } from '../text/lines.js';
import { metadataOf, parseBibliography, type CorpusProblem, type CslItem, type ParsedBibliography, type SourceMetadata } from './bibliography.js';
import type { PageSpan } from './extract/extracted.js';

/** How a source's text was read: as written (plain text, markdown), or extracted from a document. */
export type SourceFormat = 'text' | 'markdown' | DocumentFormat;
export type DocumentFormat = 'pdf' | 'html' | 'docx';

export interface Source {
  /** The citation key: the bibliography id, or the file name without extension. */
  readonly key: string;
  /** The file's path as given to the corpus (absolute when loaded from disk). */
  readonly path: string;
  readonly text: string;
  readonly format: SourceFormat;
  readonly paragraphs: readonly ParagraphText[];
  /** A PDF's pages, as offsets into `text`; undefined for sources without pages. */
  readonly pages?: readonly PageSpan[];
  readonly metadata?: SourceMetadata;
  readonly item?: CslItem;
  readonly indexed: IndexedSource;
}

export interface SourceFile {
  path: string;
  /** The text as written, or as extracted from a document (see `ExtractedText`). */
  text: string;
  /** A document's format when `text` was extracted from it. */
  format?: DocumentFormat;
  pages?: readonly PageSpan[];
  /** What the document says of itself; a bibliography entry's fields take precedence. */
  metadata?: Partial<SourceMetadata>;
  /** The key of the bibliography entry whose attachment this file is; otherwise the file name's stem. */
  key?: string;
}

/** A bibliography file, parsed at most once: the corpus loader parses it early to find attachments. */
export interface BibliographyFile extends SourceFile {
  parsed?: ParsedBibliography;
}

export interface Corpus {
  readonly sources: readonly Source[];
  readonly byKey: ReadonlyMap<string, Source>;
  readonly index: CorpusIndex;
  /** Problems with corpus files: reported to the user, never silently dropped. */
  readonly problems: readonly CorpusProblem[];
  /**
   * Keys of documents whose text is still being extracted: a citation of one
   * is neither an unknown source nor judged yet, until the corpus that holds
   * it replaces this one.
   */
  readonly pending: ReadonlySet<string>;
}

const MARKDOWN = /\.(md|markdown)$/i;

function isMarkdownPath(path: string): boolean {
  return MARKDOWN.test(path);
}

export function keyOfPath(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.[^.]*$/, '');
}

/**
 * Builds a corpus from source texts and CSL-JSON bibliographies already in
 * memory. A source is keyed by its file name (`korybko2021.txt` is
 * `korybko2021`); a bibliography entry with the same id gives it metadata.
 */
export function buildCorpus(
  sourceFiles: readonly SourceFile[],
  bibliographies: readonly BibliographyFile[],
  initialProblems: readonly CorpusProblem[] = [],
  pending: ReadonlySet<string> = new Set(),
): Corpus {
  const problems: CorpusProblem[] = [...initialProblems];
  const items = new Map<string, { item: CslItem; path: string; range: Range; attachments?: readonly string[] }>();
  for (const file of bibliographies) {
    const parsed = file.parsed ?? parseBibliography(file.path, file.text);
    problems.push(...parsed.problems);
    for (const entry of parsed.entries) {
      const previous = items.get(entry.item.id);
      if (previous) {
        problems.push({
          path: file.path,
          range: entry.range,
          severity: 'error',
          message: `Duplicate bibliography id "${entry.item.id}" (also in ${previous.path}); the first entry is used`,
        });
        continue;
      }
      items.set(entry.item.id, { item: entry.item, path: file.path, range: entry.range, attachments: entry.attachments });
    }
  }

  const index = new CorpusIndex();
  const sources: Source[] = [];
  const byKey = new Map<string, Source>();
  for (const file of [...sourceFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const key = file.key ?? keyOfPath(file.path);
    const earlier = byKey.get(key);
    if (earlier) {
      problems.push({ path: file.path, severity: 'error', message: `Duplicate source key "${key}" (also ${earlier.path}); this file is ignored` });
      continue;
    }
    const entry = items.get(key);
    // Extracted text is laid out one paragraph per line: it is numbered as plain text is.
    const source = !file.format && isMarkdownPath(file.path) ? markdownSource(index, file) : plainTextSource(index, file);
    if (source.indexed.paragraphCount === 0) {
      problems.push({ path: file.path, severity: 'warning', message: 'Source has no text: it has no paragraphs to quote' });
    }
    Object.assign(source, { key, item: entry?.item, metadata: mergedMetadata(entry?.item, file.metadata) });
    sources.push(source);
    byKey.set(key, source);
  }
  for (const [id, entry] of items) {
    // An entry with attachments has them reported by the loader (missing, or unreadable on the file itself).
    if (!byKey.has(id) && !entry.attachments?.length) {
      problems.push({ path: entry.path, range: entry.range, severity: 'warning', message: `Bibliography entry "${id}" has no source text (expected a file named ${id}.txt or ${id}.md)` });
    }
  }
  index.seal();
  return { sources, byKey, index, problems, pending };
}

/** A bibliography entry's fields, with what the document says of itself filling the gaps. */
function mergedMetadata(item: CslItem | undefined, own: Partial<SourceMetadata> | undefined): SourceMetadata | undefined {
  const entry = item ? metadataOf(item) : undefined;
  if (!own) return entry;
  return {
    title: entry?.title ?? own.title,
    authors: entry?.authors.length ? entry.authors : (own.authors ?? []),
    date: entry?.date ?? own.date,
    publisher: entry?.publisher ?? own.publisher,
    container: entry?.container ?? own.container,
  };
}

/**
 * A plain-text source: indexed straight from its lines, its paragraph objects
 * made only when something asks for them (a hover, a completion list).
 */
function plainTextSource(index: CorpusIndex, file: SourceFile): Source {
  const layout = plainTextLayout(file.text);
  let paragraphs: ParagraphText[] | undefined;
  const list = (): ParagraphText[] => (paragraphs ??= plainTextParagraphs(file.text, layout));
  const spans = { count: layout.starts.length, decodeEntities: true, text: () => file.text, from: (i: number) => layout.starts[i], to: (i: number) => layout.ends[i] };
  const indexed = index.addSource(file.text, spans, list, false);
  return {
    key: keyOfPath(file.path),
    path: file.path,
    text: file.text,
    format: file.format ?? 'text',
    pages: file.pages,
    get paragraphs() {
      return list();
    },
    indexed,
  };
}

function markdownSource(index: CorpusIndex, file: SourceFile): Source {
  const paragraphs = markdownParagraphs(file.text);
  const spans = { count: paragraphs.length, decodeEntities: false, text: (i: number) => paragraphs[i].text, from: () => 0, to: (i: number) => paragraphs[i].text.length };
  const indexed = index.addSource(file.text, spans, () => paragraphs, true);
  return { key: keyOfPath(file.path), path: file.path, text: file.text, format: 'markdown', paragraphs, indexed };
}
