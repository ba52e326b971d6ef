/**
 * Runs Pandoc on many small markdown cases at once and reads, for each case,
 * the citation ids of every `Cite` it produced, in document order.
 */
import { spawnSync } from 'node:child_process';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Pandoc on PATH: its version line, or why it cannot be run. */
export function pandocVersion(): { version: string } | { missing: string } {
  const run = spawnSync('pandoc', ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return { missing: `pandoc is not on PATH (${run.error?.message ?? `exit ${run.status}`})` };
  return { version: run.stdout.split('\n')[0] };
}

/** The paragraph that separates two cases: a word no case contains. */
export function separator(index: number): string {
  return `VerbatimCaseEnd${index}`;
}

/** The text of case `index` in the batch document: the case, then its separator paragraph. */
function batchPart(markdown: string, index: number): string {
  return `${markdown}\n\n${separator(index)}\n\n`;
}

/** One markdown document holding every case, each followed by its separator paragraph. */
export function batchDocument(cases: readonly string[]): string {
  return cases.map(batchPart).join('');
}

/** Where each case begins in the batch document. */
export function caseStarts(cases: readonly string[]): number[] {
  let at = 0;
  return cases.map((markdown, i) => {
    const start = at;
    at += batchPart(markdown, i).length;
    return start;
  });
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Str` text of a paragraph holding a single word, if it is one. */
function loneWord(block: Json): string | undefined {
  if (!isObject(block) || block.t !== 'Para' || !Array.isArray(block.c) || block.c.length !== 1) return undefined;
  const only = block.c[0];
  return isObject(only) && only.t === 'Str' && typeof only.c === 'string' ? only.c : undefined;
}

/**
 * Citation ids in reading order: a citation's prefix, its id, then its
 * suffix (where a second citation may stand: `[@a, cf. @b]`). A `Cite`'s
 * rendered text repeats what it was written as and is not read.
 */
function collectCites(node: Json, into: string[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectCites(child, into);
    return;
  }
  if (!isObject(node)) return;
  if (node.t === 'Cite' && Array.isArray(node.c) && Array.isArray(node.c[0])) {
    for (const citation of node.c[0]) {
      if (!isObject(citation)) continue;
      collectCites(citation.citationPrefix ?? null, into);
      if (typeof citation.citationId === 'string') into.push(citation.citationId);
      collectCites(citation.citationSuffix ?? null, into);
    }
    return;
  }
  // Pandoc 3 makes an implicit figure a `Figure` whose caption and image alt text hold the same inlines
  // (Pandoc 2 an image alone in a paragraph): read the caption once, not the alt text again.
  if (node.t === 'Figure' && Array.isArray(node.c)) {
    collectCites(node.c[1], into);
    collectCites(withoutImages(node.c[2]), into);
    return;
  }
  for (const value of Object.values(node)) collectCites(value, into);
}

/** A figure's body without its images. */
function withoutImages(node: Json): Json {
  if (Array.isArray(node)) return node.filter((child) => !(isObject(child) && child.t === 'Image')).map(withoutImages);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withoutImages(value)]));
}

export interface PandocReading {
  /** Per case, the ids of the citations in its body. */
  readonly bodies: string[][];
  /** The ids of the citations in the document's metadata (front matter, `nocite`). */
  readonly metadata: string[];
  /** Per case, whether Pandoc read an example list in it (`(@label)` items). */
  readonly exampleLists: boolean[];
}

function hasExampleList(node: Json): boolean {
  if (Array.isArray(node)) return node.some(hasExampleList);
  if (!isObject(node)) return false;
  if (node.t === 'OrderedList' && Array.isArray(node.c) && Array.isArray(node.c[0])) {
    const style = node.c[0][1];
    if (isObject(style) && style.t === 'Example') return true;
  }
  return Object.values(node).some(hasExampleList);
}

/** Runs `pandoc -f markdown -t json` once on the cases joined by separators, and splits what it read by case. */
export function readWithPandoc(cases: readonly string[], prefix = ''): PandocReading {
  const run = spawnSync('pandoc', ['-f', 'markdown', '-t', 'json'], { input: prefix + batchDocument(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) throw new Error(`pandoc failed: ${run.error?.message ?? run.stderr}`);
  const document = JSON.parse(run.stdout) as Json;
  if (!isObject(document) || !Array.isArray(document.blocks)) throw new Error('pandoc wrote no blocks');
  const bodies: string[][] = cases.map(() => []);
  const exampleLists = cases.map(() => false);
  let current = 0;
  for (const block of document.blocks) {
    if (loneWord(block) === separator(current)) {
      current++;
      continue;
    }
    if (current >= cases.length) throw new Error('pandoc read blocks after the last case');
    collectCites(block, bodies[current]);
    if (hasExampleList(block)) exampleLists[current] = true;
  }
  // A case that swallowed the separator after it (an open fence, an unclosed comment) would shift every later case.
  if (current !== cases.length) throw new Error(`pandoc saw ${current} of ${cases.length} case separators`);
  const metadata: string[] = [];
  collectCites(document.meta ?? null, metadata);
  return { bodies, metadata, exampleLists };
}
