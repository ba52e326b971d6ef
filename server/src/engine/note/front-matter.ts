import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { cslYamlEntries, type BibliographyEntry } from '../corpus/bibliography.js';
import { LineIndex, type Range } from '../text/lines.js';

/**
 * What a note's YAML front matter says about its sources, as Pandoc reads it:
 * `bibliography` (one path or a list, relative to the note) and `references`
 * (CSL entries written inline). `nocite` and the other fields cite nothing
 * here: only the body's citations are checked.
 */
export interface FrontMatterSources {
  /** The bibliography paths as written, each with where it stands in the note. */
  readonly bibliographies: readonly { readonly path: string; readonly range: Range }[];
  /** The inline references, each with the range of its `id` in the note. */
  readonly references: readonly BibliographyEntry[];
  /** What could not be read, with its range in the note. */
  readonly problems: readonly { readonly range: Range; readonly message: string }[];
  /** The front matter's range in the note, where a problem of the whole is reported. */
  readonly range: Range;
}

/** A front matter as Pandoc and remark-frontmatter open it: `---` on the first line, closed by `---` or `...`. */
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/u;

/** The note's front matter as written ('' when it has none): what its own sources depend on. */
export function frontMatterBlock(text: string): string {
  return FRONT_MATTER.exec(text)?.[0] ?? '';
}

/** The sources a note's front matter names, or undefined when it names none (or has no front matter). */
export function frontMatterSources(text: string): FrontMatterSources | undefined {
  const match = FRONT_MATTER.exec(text);
  if (!match) return undefined;
  const yaml = match[1] ?? '';
  // Cheap test first: most front matter (a title, tags) names no sources.
  if (!/^(?:bibliography|references)[ \t]*:/mu.test(yaml)) return undefined;
  const offset = match[0].indexOf('\n') + 1;
  const lines = new LineIndex(text);
  const range = lines.range(0, match[0].trimEnd().length);
  const at = (start: number, end: number): Range => lines.range(offset + start, offset + Math.max(start + 1, end));
  const document = parseDocument(yaml);
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => ({ range: at(error.pos[0], error.pos[1]), message: `Front matter is not valid YAML, so its bibliography is not read: ${error.message.split('\n')[0]}` }));
    return { bibliographies: [], references: [], problems, range };
  }
  if (!isMap(document.contents)) return undefined;
  const problems: { range: Range; message: string }[] = [];
  const bibliographies: { path: string; range: Range }[] = [];
  const written = document.contents.get('bibliography', true) as YamlNode | undefined;
  const paths = written === undefined || written === null ? [] : isSeq(written) ? (written.items as YamlNode[]) : [written];
  for (const node of paths) {
    const [start, end] = node.range ?? [0, 0];
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') bibliographies.push({ path: node.value.trim(), range: at(start, end) });
    else problems.push({ range: at(start, end), message: '"bibliography" must be a path, or a list of paths, relative to the note' });
  }
  const listed = document.contents.get('references', true) as YamlNode | undefined;
  const parsed = listed ? cslYamlEntries('', listed, lines, offset) : { entries: [], problems: [] };
  for (const problem of parsed.problems) problems.push({ range: problem.range ?? range, message: problem.message });
  return { bibliographies, references: parsed.entries, problems, range };
}
