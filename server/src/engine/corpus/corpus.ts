import { CorpusIndex, Vocabulary, type IndexedSource, type SpanList } from './index.js';
import { vocabularyLayer } from './composed.js';
import { contentHash, SegmentedIndexBuilder, wholeSegment, type IndexWrite, type SourceStamp, type StoredIndex, type StoredRef } from './stored-index.js';
import type { CandidateIndex, SourceTokens, TokenVocabulary } from './store.js';
import { markdownParagraphs, plainTextLayout, plainTextParagraph, plainTextParagraphs, type ParagraphText, type PlainTextLayout } from './paragraphs.js';
import type { Range } from '../text/lines.js';
import { metadataOf, parseBibliography, type CorpusProblem, type CslItem, type ParsedBibliography, type SourceMetadata } from './bibliography.js';
import type { PageSpan } from './extract/extracted.js';
import type { CorpusReads } from './reads.js';

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
  readonly indexed: SourceTokens;
  /** The text's content hash, when the corpus was built with an index to store (see `BuildOptions.stored`). */
  readonly hash?: string;
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
  /**
   * The text's content hash when already known (a file whose stat matches the
   * stored index): `text` is then read only if something asks for it.
   */
  hash?: string;
  /** The file's size in bytes and modification time, stored with the index. */
  size?: number;
  mtimeMs?: number;
}

/** A bibliography file, parsed at most once: the corpus loader parses it early to find attachments. */
export interface BibliographyFile extends SourceFile {
  parsed?: ParsedBibliography;
}

export interface Corpus {
  readonly sources: readonly Source[];
  readonly byKey: ReadonlyMap<string, Source>;
  readonly index: CandidateIndex;
  /** Problems with corpus files: reported to the user, never silently dropped. */
  readonly problems: readonly CorpusProblem[];
  /**
   * Keys of documents whose text is still being extracted: a citation of one
   * is neither an unknown source nor judged yet, until the corpus that holds
   * it replaces this one.
   */
  readonly pending: ReadonlySet<string>;
  /** Keys of sources a part of this corpus holds but leaves out: a workspace corpus that a note's own bibliography replaces ("instead"). */
  readonly excluded?: ReadonlySet<string>;
  /**
   * The corpus lists only some of its sources, and has others: an archive's corpus for some notes holds the
   * sources they cite or quote and the keys suggested for an unknown one. A key it lacks is unknown.
   */
  readonly partial?: boolean;
  /** How the index was come by, when a stored index was offered (see `BuildOptions.stored`). */
  readonly origin?: IndexOrigin;
  /** Told what a check reads, when the corpus is a check's recording view of one (see `reads.ts`). */
  readonly observer?: CorpusObserver;
}

/** What a check tells a recording corpus beyond what it looks up by key (see `ReadRecorder`). */
export interface CorpusObserver {
  /**
   * Runs an exact search: within the sources of keys already looked up
   * (`patterns` undefined), or in the whole corpus for patterns made of these
   * words (lower-cased), one list per pattern.
   */
  exactSearch<T>(patterns: readonly (readonly string[])[] | undefined, run: () => T): T;
  /** What was computed read the whole corpus. */
  readAll(): void;
  /** Runs `run` and returns what it read, for a cache whose later users must be told what a result depended on. */
  recorded<T>(run: () => T): { value: T; reads: CorpusReads };
  /** What a cached result read counts as read now. */
  replay(reads: CorpusReads | undefined): void;
}

export interface IndexOrigin {
  /** How many sources' tokens came from the stored index (the rest were read and tokenised). */
  readonly reused: number;
  /** What to write back to the index file, when it differs from the stored one; absent when the stored one is used as it is. */
  readonly toStore?: IndexWrite;
}

export interface BuildOptions {
  /**
   * An index read from disk (or null when there is none yet): sources whose
   * text hashes as stored keep their stored tokens (and postings), and only
   * the others are tokenised.
   */
  stored?: StoredIndex | null;
  /** Another corpus's vocabulary to continue (new tokens numbered after it), so the two corpora can be composed (see `composeCorpora`). */
  over?: TokenVocabulary;
}

const MARKDOWN = /\.(md|markdown)$/i;

export function isMarkdownPath(path: string): boolean {
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
  options: BuildOptions = {},
): Corpus {
  const steps = corpusBuildSteps(sourceFiles, bibliographies, initialProblems, pending, options);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** How far a build in steps has come: sources indexed of those accepted. */
export interface BuildStep {
  readonly done: number;
  readonly total: number;
}

/**
 * `buildCorpus` one source at a time: it yields after each source is
 * indexed, so a caller that must stay responsive (the language server) can
 * let other work run between sources.
 */
export function* corpusBuildSteps(
  sourceFiles: readonly SourceFile[],
  bibliographies: readonly BibliographyFile[],
  initialProblems: readonly CorpusProblem[] = [],
  pending: ReadonlySet<string> = new Set(),
  options: BuildOptions = {},
): Generator<BuildStep, Corpus> {
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

  const accepted: { file: SourceFile; key: string }[] = [];
  const keys = new Map<string, string>();
  for (const file of [...sourceFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const key = file.key ?? keyOfPath(file.path);
    const earlier = keys.get(key);
    if (earlier !== undefined) {
      problems.push({ path: file.path, severity: 'error', message: `Duplicate source key "${key}" (also ${earlier}); this file is ignored` });
      continue;
    }
    keys.set(key, file.path);
    accepted.push({ file, key });
  }

  // Offered (even as null: no file yet) means hashes are taken, so that what is built can be stored.
  const offered = options.stored !== undefined;
  const stored = options.stored ?? undefined;
  const hashes = offered ? accepted.map(({ file }) => file.hash ?? contentHash(file.text)) : [];
  const reusable = accepted.map(({ file }, i): StoredRef | undefined => stored?.tokensOf(file.path, hashes[i]));
  const builder = stored ? new SegmentedIndexBuilder(stored) : undefined;
  const fresh = new CorpusIndex(builder || !options.over ? undefined : new Vocabulary(vocabularyLayer(options.over)));
  const target: IndexTarget = builder ? storedTarget(builder) : freshTarget(fresh);
  const sources: Source[] = [];
  const byKey = new Map<string, Source>();
  for (const [i, { file, key }] of accepted.entries()) {
    const entry = items.get(key);
    // Extracted text is laid out one paragraph per line: it is numbered as plain text is.
    const markdown = !file.format && isMarkdownPath(file.path);
    const ref = reusable[i];
    // A stored source's paragraphs are kept in the stored index's cache, not by the source: read again when dropped.
    const cacheKey = `${file.path}\n${hashes[i]}`;
    const remember: Remember | undefined =
      stored && ref ? { paragraphs: (compute) => stored.paragraphs.get(cacheKey, compute), layout: (compute) => stored.layouts.get(cacheKey, compute) } : undefined;
    const source = markdown ? markdownSource(target, file, ref, remember) : plainTextSource(target, file, ref, remember);
    if (source.indexed.paragraphCount === 0) {
      problems.push({ path: file.path, severity: 'warning', message: 'Source has no text: it has no paragraphs to quote' });
    }
    Object.assign(source, { key, item: entry?.item, metadata: mergedMetadata(entry?.item, file.metadata), hash: offered ? hashes[i] : undefined });
    sources.push(source);
    byKey.set(key, source);
    yield { done: i + 1, total: accepted.length };
  }
  for (const [id, entry] of items) {
    // An entry with attachments has them reported by the loader (missing, or unreadable on the file itself).
    if (!byKey.has(id) && !entry.attachments?.length) {
      problems.push({ path: entry.path, range: entry.range, severity: 'warning', message: `Bibliography entry "${id}" has no source text (expected a file named ${id}.txt or ${id}.md)` });
    }
  }
  const reused = reusable.filter((r) => r !== undefined).length;
  const stamps = (): SourceStamp[] => accepted.map(({ file }, i) => ({ path: file.path, hash: hashes[i], markdown: sources[i].format === 'markdown', size: file.size, mtimeMs: file.mtimeMs }));
  if (builder) {
    const { index, write } = builder.finish(stamps());
    return { sources, byKey, index, problems, pending, origin: { reused, toStore: write } };
  }
  fresh.seal();
  const all = offered ? stamps() : [];
  return { sources, byKey, index: fresh, problems, pending, origin: offered ? { reused, toStore: { whole: () => wholeSegment(fresh, all) } } : undefined };
}

/** Keeps a source's paragraphs (and a plain-text source's layout) where they can be dropped and computed again. */
interface Remember {
  paragraphs(compute: () => readonly ParagraphText[]): readonly ParagraphText[];
  layout(compute: () => PlainTextLayout): PlainTextLayout;
}

type ParagraphAt = (p: number) => ParagraphText;

/** Where a source's tokens go: a fresh index, or one built over a stored index. */
interface IndexTarget {
  addSource(text: string, spans: SpanList, paragraphs: () => readonly ParagraphText[], markdown: boolean, paragraphAt?: ParagraphAt): IndexedSource;
  addKnown(text: () => string, paragraphs: () => readonly ParagraphText[], markdown: boolean, known: StoredRef, paragraphAt?: ParagraphAt): IndexedSource;
}

function freshTarget(index: CorpusIndex): IndexTarget {
  return {
    addSource: (text, spans, paragraphs, markdown, paragraphAt) => index.addSource(text, spans, paragraphs, markdown, paragraphAt),
    addKnown: () => {
      throw new Error('A fresh index has no stored tokens');
    },
  };
}

function storedTarget(builder: SegmentedIndexBuilder): IndexTarget {
  return {
    addSource: (text, spans, paragraphs, markdown, paragraphAt) => builder.addSource(text, spans, paragraphs, markdown, paragraphAt),
    addKnown: (text, paragraphs, markdown, known, paragraphAt) => builder.addStored(text, paragraphs, markdown, known, paragraphAt),
  };
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
 * A plain-text source: indexed straight from its lines (or its stored tokens
 * reused), its paragraph objects made only when something asks for them (a
 * hover, a completion list).
 */
function plainTextSource(index: IndexTarget, file: SourceFile, known: StoredRef | undefined, remember?: Remember): Source {
  let layout: PlainTextLayout | undefined;
  const layoutOf = remember ? () => remember.layout(() => plainTextLayout(file.text)) : (): PlainTextLayout => (layout ??= plainTextLayout(file.text));
  let paragraphs: readonly ParagraphText[] | undefined;
  const list = remember ? () => remember.paragraphs(() => plainTextParagraphs(file.text, layoutOf())) : (): readonly ParagraphText[] => (paragraphs ??= plainTextParagraphs(file.text, layoutOf()));
  // A place's offsets need its own paragraph only: laid out as offsets, not as one object a paragraph.
  const paragraphAt = (p: number): ParagraphText => plainTextParagraph(file.text, layoutOf(), p);
  let indexed: SourceTokens;
  // With stored tokens the text is not touched here: a file known unchanged is read only when a place in it is shown.
  if (known) indexed = index.addKnown(() => file.text, list, false, known, paragraphAt);
  else {
    const { starts, ends } = layoutOf();
    const spans = { count: starts.length, decodeEntities: true, text: () => file.text, from: (i: number) => starts[i], to: (i: number) => ends[i] };
    indexed = index.addSource(file.text, spans, list, false, paragraphAt);
  }
  return sourceOf(file, file.format ?? 'text', list, indexed);
}

/** A source whose text and paragraphs are read only when asked for (a stored index may spare reading the file at all). */
function sourceOf(file: SourceFile, format: SourceFormat, paragraphs: () => readonly ParagraphText[], indexed: SourceTokens): Source {
  return {
    key: keyOfPath(file.path),
    path: file.path,
    get text() {
      return file.text;
    },
    format,
    pages: file.pages,
    get paragraphs() {
      return paragraphs();
    },
    indexed,
  };
}

function markdownSource(index: IndexTarget, file: SourceFile, known: StoredRef | undefined, remember?: Remember): Source {
  // Parsing markdown is the slow part of reading one: with stored tokens it waits until a paragraph is asked for.
  let paragraphs: readonly ParagraphText[] | undefined;
  const list = remember ? () => remember.paragraphs(() => markdownParagraphs(file.text)) : (): readonly ParagraphText[] => (paragraphs ??= markdownParagraphs(file.text));
  let indexed: SourceTokens;
  if (known) indexed = index.addKnown(() => file.text, list, true, known);
  else {
    const parsed = list();
    const spans = { count: parsed.length, decodeEntities: false, text: (i: number) => parsed[i].text, from: () => 0, to: (i: number) => parsed[i].text.length };
    indexed = index.addSource(file.text, spans, list, true);
  }
  return sourceOf(file, 'markdown', list, indexed);
}
