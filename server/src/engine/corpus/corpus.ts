import { CorpusIndex, type IndexedSource } from './index.js';
import { markdownParagraphs, plainTextLayout, plainTextParagraphs, type ParagraphText } from './paragraphs.js';
import type { Range } from '../text/lines.js';
import { metadataOf, parseBibliography, type CorpusProblem, type CslItem, type SourceMetadata } from './bibliography.js';

export type SourceFormat = 'text' | 'markdown';

export interface Source {
  /** The citation key: the bibliography id, or the file name without extension. */
  readonly key: string;
  /** The file's path as given to the corpus (absolute when loaded from disk). */
  readonly path: string;
  readonly text: string;
  readonly format: SourceFormat;
  readonly paragraphs: readonly ParagraphText[];
  readonly metadata?: SourceMetadata;
  readonly item?: CslItem;
  readonly indexed: IndexedSource;
}

export interface SourceFile {
  path: string;
  text: string;
}

export interface Corpus {
  readonly sources: readonly Source[];
  readonly byKey: ReadonlyMap<string, Source>;
  readonly index: CorpusIndex;
  /** Problems with corpus files: reported to the user, never silently dropped. */
  readonly problems: readonly CorpusProblem[];
}

const MARKDOWN = /\.(md|markdown)$/i;

function isMarkdownPath(path: string): boolean {
  return MARKDOWN.test(path);
}

function keyOfPath(path: string): string {
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
  bibliographies: readonly SourceFile[],
  initialProblems: readonly CorpusProblem[] = [],
): Corpus {
  const problems: CorpusProblem[] = [...initialProblems];
  const items = new Map<string, { item: CslItem; path: string; range: Range }>();
  for (const file of bibliographies) {
    const parsed = parseBibliography(file.path, file.text);
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
      items.set(entry.item.id, { item: entry.item, path: file.path, range: entry.range });
    }
  }

  const index = new CorpusIndex();
  const sources: Source[] = [];
  const byKey = new Map<string, Source>();
  for (const file of [...sourceFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    const key = keyOfPath(file.path);
    const earlier = byKey.get(key);
    if (earlier) {
      problems.push({ path: file.path, severity: 'error', message: `Duplicate source key "${key}" (also ${earlier.path}); this file is ignored` });
      continue;
    }
    const format: SourceFormat = isMarkdownPath(file.path) ? 'markdown' : 'text';
    const entry = items.get(key);
    const source = format === 'markdown' ? markdownSource(index, file) : plainTextSource(index, file);
    if (source.indexed.paragraphCount === 0) {
      problems.push({ path: file.path, severity: 'warning', message: 'Source has no text: it has no paragraphs to quote' });
    }
    Object.assign(source, { key, item: entry?.item, metadata: entry ? metadataOf(entry.item) : undefined });
    sources.push(source);
    byKey.set(key, source);
  }
  for (const [id, entry] of items) {
    if (!byKey.has(id)) {
      problems.push({ path: entry.path, range: entry.range, severity: 'warning', message: `Bibliography entry "${id}" has no source text (expected a file named ${id}.txt or ${id}.md)` });
    }
  }
  index.seal();
  return { sources, byKey, index, problems };
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
    format: 'text',
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
