import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { buildCorpus, type Corpus, type DocumentFormat, type SourceFile } from './corpus.js';
import { composeCorpora, type CorpusPart } from './composed.js';
import { BIBLIOGRAPHY_FORMATS, parseBibliography, type BibliographyEntry, type CorpusProblem, type ParsedBibliography } from './bibliography.js';
import { readableAttachments } from './attachments.js';
import { documentFormat, extractDocumentFile, fileStamp, readTextFile } from './load.js';
import type { ExtractionCache } from './extract/index.js';
import { frontMatterBlock, frontMatterSources } from '../note/front-matter.js';
import type { Range } from '../text/lines.js';

/**
 * A note's own sources, from its front matter (`bibliography`, `references`),
 * as Pandoc resolves them: a bibliography path is relative to the note; an
 * entry's text is found as the corpus folder's are (a BibTeX `file` field,
 * relative to the bibliography; else a file whose stem is the key beside the
 * bibliography, or beside the note for an inline reference). The note sees
 * them in addition to the workspace corpus, or instead of it.
 */

/** Whether a front-matter bibliography adds to the workspace corpus or replaces it for that note. */
export type FrontMatterMode = 'addition' | 'instead';

export interface NoteCorpus {
  /** The corpus the note is checked against. */
  readonly corpus: Corpus;
  /** What is wrong with the front matter's sources, as problems on the note (its path, ranges in it). */
  readonly problems: readonly CorpusProblem[];
  /** The files the note's own sources were read from: a change to one makes the note's corpus stale. */
  readonly files: readonly string[];
}

export interface NoteSourcesOptions {
  /** Extracted documents by content (the corpus's cache). */
  readonly cache?: ExtractionCache;
  /**
   * A folder the note's sources must stay inside (an untrusted workspace: a
   * front matter could name any file on the machine); anywhere when absent.
   */
  readonly confineTo?: string;
}

const TEXT_EXTENSIONS = ['.txt', '.md', '.markdown', '.pdf', '.html', '.htm', '.docx'];
/** How many note corpora are kept (notes with different front matter); the oldest is dropped first. */
const KEPT_CORPORA = 32;

/** Where an entry's text is: a source of the workspace corpus, or a file of the note's own. */
type TextOf = { readonly shared: string } | { readonly path: string; readonly stamp: string };

interface PlannedEntry {
  readonly entry: BibliographyEntry;
  /** Where the problem of this entry is reported in the note (the bibliography's path, or the reference's id). */
  readonly noteRange: Range;
  readonly text: TextOf;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Reads notes' own sources, once each: bibliographies and texts are kept by
 * path and stamp, and a note corpus by everything it was made of, so notes
 * with the same front matter share one, and a source the workspace corpus
 * holds is read from it, never loaded again.
 */
export class NoteSources {
  private readonly bibliographies = new Map<string, { stamp: string; parsed: ParsedBibliography }>();
  private readonly texts = new Map<string, { stamp: string; file: SourceFile } | { stamp: string; problem: string; range?: Range }>();
  /** Note corpora by what they were made of; `sourceProblems` are their own sources' (an empty text), reported again for each note. */
  private readonly corpora = new Map<string, { base: Corpus | undefined; corpus: Corpus; sourceProblems: readonly CorpusProblem[] }>();
  /** Each note's last corpus, with the front matter it was made from. */
  private readonly lastByNote = new Map<string, { frontMatter: string; base: Corpus | undefined; mode: FrontMatterMode; noteCorpus: NoteCorpus | undefined }>();

  constructor(private readonly options: NoteSourcesOptions = {}) {}

  /**
   * The corpus for a note without reading any file, for requests that cannot
   * wait: none needed (its front matter names no sources), or the last one
   * made while its front matter, base and mode were as now; undefined when
   * the note's sources must be read first (`corpusFor`).
   */
  cached(notePath: string, text: string, base: Corpus | undefined, mode: FrontMatterMode): { noteCorpus: NoteCorpus | undefined } | undefined {
    const last = this.lastByNote.get(notePath);
    if (last && last.frontMatter === frontMatterBlock(text) && last.base === base && last.mode === mode) return { noteCorpus: last.noteCorpus };
    return frontMatterSources(text) ? undefined : { noteCorpus: undefined };
  }

  /** Forgets what was read from `paths`; returns the notes whose sources came from one of them, which need checking again. */
  changed(paths: readonly string[]): string[] {
    for (const path of paths) {
      this.bibliographies.delete(path);
      this.texts.delete(path);
    }
    const stale = [...this.lastByNote].filter(([, last]) => last.noteCorpus?.files.some((file) => paths.includes(file))).map(([note]) => note);
    for (const note of stale) this.lastByNote.delete(note);
    return stale;
  }

  forget(notePath: string): void {
    this.lastByNote.delete(notePath);
  }

  /**
   * The corpus a note is checked against: undefined when its front matter
   * names no sources (the workspace corpus is then the note's).
   */
  async corpusFor(notePath: string, text: string, base: Corpus | undefined, mode: FrontMatterMode): Promise<NoteCorpus | undefined> {
    const noteCorpus = await this.make(notePath, text, base, mode);
    this.lastByNote.set(notePath, { frontMatter: frontMatterBlock(text), base, mode, noteCorpus });
    return noteCorpus;
  }

  private async make(notePath: string, text: string, base: Corpus | undefined, mode: FrontMatterMode): Promise<NoteCorpus | undefined> {
    const front = frontMatterSources(text);
    if (!front) return undefined;
    const noteDir = dirname(notePath);
    const problems: CorpusProblem[] = front.problems.map((p) => ({ path: notePath, range: p.range, severity: 'error', message: p.message }));
    const files: string[] = [];
    const planned = new Map<string, PlannedEntry>();
    const plan = (entry: BibliographyEntry, noteRange: Range, beside: string, where: string, writtenIn?: string): void => {
      const key = entry.item.id;
      const found = this.textOf(entry, beside, base);
      if (found) planned.set(key, { entry, noteRange, text: found });
      else {
        const what = writtenIn ? `${writtenIn}:${entry.range.start.line + 1}: entry` : 'Reference';
        const attachments = entry.attachments?.length ? `its file field names ${entry.attachments.join(', ')}, which ${entry.attachments.length === 1 ? 'is' : 'are'} not there or not readable, and ` : '';
        problems.push({ path: notePath, range: noteRange, severity: 'warning', message: `${what} "${key}" has no source text: ${attachments}no file named ${key}.txt, .md, .pdf, .html or .docx is ${where}` });
      }
    };
    // Inline references take precedence over a bibliography's entry with the same id, as in Pandoc.
    const inline = new Set(front.references.map((r) => r.item.id));
    for (const written of front.bibliographies) {
      const path = resolve(noteDir, written.path);
      files.push(path);
      const parsed = this.bibliography(path, written.path, written.range, notePath, problems);
      for (const entry of parsed?.entries ?? []) {
        if (inline.has(entry.item.id) || planned.has(entry.item.id)) continue;
        plan(entry, written.range, dirname(path), `beside ${written.path}`, written.path);
      }
    }
    for (const reference of front.references) plan(reference, reference.range, noteDir, 'beside the note');

    // The note's own texts, read (or taken from what was read before).
    const own: { file: SourceFile; planned: PlannedEntry }[] = [];
    for (const entry of planned.values()) {
      if (!('path' in entry.text)) continue;
      files.push(entry.text.path);
      const read = await this.readText(entry.text.path, entry.text.stamp);
      if ('problem' in read) problems.push({ path: notePath, range: entry.noteRange, severity: 'error', message: `${this.display(entry.text.path, noteDir)}: ${read.problem}` });
      else own.push({ file: { ...read.file, key: entry.entry.item.id }, planned: entry });
    }
    const identity = JSON.stringify([
      mode,
      own.map(({ file, planned: p }) => [file.key, file.path, 'path' in p.text ? p.text.stamp : '', p.entry.item]),
      [...planned.values()].filter((p) => 'shared' in p.text).map((p) => p.entry.item.id),
    ]);
    const kept = this.corpora.get(identity);
    if (kept && kept.base === base) {
      this.corpora.delete(identity);
      this.corpora.set(identity, kept);
      return { corpus: kept.corpus, problems: [...problems, ...kept.sourceProblems], files };
    }

    const parts: CorpusPart[] = [];
    const sourceProblems: CorpusProblem[] = [];
    let vocabulary = base?.index.vocabulary;
    if (own.length > 0) {
      const entries = own.map(({ planned: p }) => ({ item: p.entry.item, range: p.noteRange }));
      const layer = buildCorpus(
        own.map(({ file }) => file),
        [{ path: notePath, text: '', parsed: { entries, problems: [] } }],
        [],
        new Set(),
        { over: base?.index.vocabulary },
      );
      for (const problem of layer.problems) {
        const source = own.find(({ file }) => file.path === problem.path);
        sourceProblems.push({ path: notePath, range: source?.planned.noteRange ?? front.range, severity: problem.severity, message: `${this.display(problem.path, noteDir)}: ${problem.message}` });
      }
      parts.push({ corpus: layer });
      vocabulary = layer.index.vocabulary;
    }
    if (base && vocabulary) {
      const shared = new Set([...planned.values()].filter((p) => 'shared' in p.text).map((p) => p.entry.item.id));
      parts.push(mode === 'addition' ? { corpus: base } : { corpus: base, keep: (key) => shared.has(key) });
    }
    const corpus = vocabulary ? composeCorpora(parts, vocabulary) : buildCorpus([], []);
    this.corpora.set(identity, { base, corpus, sourceProblems });
    if (this.corpora.size > KEPT_CORPORA) this.corpora.delete(this.corpora.keys().next().value as string);
    return { corpus, problems: [...problems, ...sourceProblems], files };
  }

  /**
   * Where an entry's text is: its `file` field's attachment (relative to the
   * bibliography), else a file named by its key beside it; a workspace source
   * with that key and path, or with that key when the entry has no text of its
   * own, is shared.
   */
  private textOf(entry: BibliographyEntry, beside: string, base: Corpus | undefined): TextOf | undefined {
    const key = entry.item.id;
    const candidates = entry.attachments?.length
      ? readableAttachments(entry.attachments.map((written) => ({ path: resolve(beside, written) }))).map((a) => a.path)
      : TEXT_EXTENSIONS.map((extension) => resolve(beside, `${key}${extension}`));
    const inBase = base?.byKey.get(key);
    for (const path of candidates) {
      if (this.options.confineTo !== undefined && !isInside(path, this.options.confineTo)) continue;
      const stamp = fileStamp(path);
      if (stamp === undefined) continue;
      if (inBase && resolve(inBase.path) === path) return { shared: key };
      return { path, stamp };
    }
    return inBase || base?.pending.has(key) ? { shared: key } : undefined;
  }

  /** A bibliography named in the front matter, parsed once per version of the file; its problems go on the note. */
  private bibliography(path: string, written: string, range: Range, notePath: string, problems: CorpusProblem[]): ParsedBibliography | undefined {
    const problem = (message: string): undefined => {
      problems.push({ path: notePath, range, severity: 'error', message });
      return undefined;
    };
    if (!BIBLIOGRAPHY_FORMATS.some((format) => format.pattern.test(path))) {
      return problem(`Bibliography ${written} is not read: Verbatim reads BibTeX (.bib, .bibtex), CSL JSON (.json) and CSL YAML (.yaml, .yml)`);
    }
    if (this.options.confineTo !== undefined && !isInside(path, this.options.confineTo)) {
      return problem(`Bibliography ${written} is outside the workspace folder, which is read only in a trusted workspace`);
    }
    const stamp = fileStamp(path);
    if (stamp === undefined) return problem(`Bibliography ${written} not found (no file at ${path})`);
    const known = this.bibliographies.get(path);
    let parsed = known?.stamp === stamp ? known.parsed : undefined;
    if (!parsed) {
      const read = readTextFile(path);
      if ('problem' in read) return problem(`Bibliography ${written}: ${read.problem}`);
      parsed = parseBibliography(path, read.text);
      this.bibliographies.set(path, { stamp, parsed });
    }
    for (const p of parsed.problems) problems.push({ path: notePath, range, severity: p.severity, message: `${written}${p.range ? `:${p.range.start.line + 1}` : ''}: ${p.message}` });
    return parsed;
  }

  /** A text of the note's own, read (or extracted) once per version of the file. */
  private async readText(path: string, stamp: string): Promise<{ file: SourceFile } | { problem: string }> {
    const known = this.texts.get(path);
    if (known?.stamp === stamp) return known;
    const format: DocumentFormat | undefined = documentFormat(path);
    let read: { stamp: string; file: SourceFile } | { stamp: string; problem: string };
    if (format) {
      const extracted = await extractDocumentFile({ path, format }, this.options.cache);
      read = { stamp, ...extracted };
    } else {
      const text = readTextFile(path);
      read = 'problem' in text ? { stamp, problem: `${text.problem}; not read as a source` } : { stamp, file: { path, text: text.text } };
    }
    this.texts.set(path, read);
    return read;
  }

  private display(path: string, noteDir: string): string {
    const rel = relative(noteDir, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  }
}
