import { relative } from 'node:path';
import { MarkupKind, type CodeLens, type Hover, type Location, type Position } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { checkNote } from '../engine/check.js';
import type { Source } from '../engine/corpus/corpus.js';
import { readTextFile } from '../engine/corpus/load.js';
import { LineIndex } from '../engine/text/lines.js';
import { sourceQuotationsHover } from '../engine/services/source-hover.js';
import { quotationsOfNote, quotedLabel, SourceUses, type SourceQuotation } from '../engine/services/source-uses.js';
import type { NoteSnapshot, ServerContext } from './context.js';
import { SHOW_SOURCE_QUOTATIONS_COMMAND, SOURCE_TEXT_SCHEME, type SourceQuotationSpan } from './protocol.js';
import { notePaths } from './references.js';
import { isInside, pathToUri, uriToPath, type FolderState } from './workspace.js';

/** A source and its text's lines, for a document the editor shows. */
interface ShownSource {
  readonly state: FolderState;
  readonly source: Source;
  readonly lines: LineIndex;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Where the workspace's notes quote each source, for an open source: every
 * note of each folder is read in the background (one note per turn of the
 * event loop, so requests are answered in between) and read again when it
 * changes — an open note as edited, a closed one when the file watcher reports
 * it. Notes read here are not published: only open notes get diagnostics.
 */
export class SourceUsesFeature {
  private readonly uses = new SourceUses();
  /** The latest reading of each folder: an older one still under way stops at its next note. */
  private readonly readings = new Map<string, number>();
  private readonly lineIndexes = new WeakMap<Source, LineIndex>();

  constructor(
    private readonly context: ServerContext,
    /** What the notes quote has changed: the client asks again for what it shows. */
    private readonly changed: () => void,
  ) {}

  /** Reads every note of the folder against its current corpus; resolves when all are read (or a newer reading took over). */
  async readFolder(folder: string): Promise<void> {
    const reading = (this.readings.get(folder) ?? 0) + 1;
    this.readings.set(folder, reading);
    const current = (): boolean => this.readings.get(folder) === reading;
    const seen = new Set<string>();
    let differs = false;
    await nextTurn();
    const state = this.context.workspace.stateOf(folder);
    if (state?.loaded?.whole) {
      for (const path of notePaths(this.context, state, folder)) {
        if (!current()) return;
        seen.add(path);
        differs = this.readNote(path, state) || differs;
        await nextTurn();
      }
    }
    if (!current()) return;
    for (const note of this.uses.notes()) if (isInside(note, folder) && !seen.has(note)) differs = this.uses.removeNote(note) || differs;
    if (differs) this.changed();
  }

  /** An open note was checked (as edited). */
  noteChecked(snapshot: NoteSnapshot): void {
    const path = uriToPath(snapshot.uri);
    if (path && snapshot.loaded.whole && this.uses.setNote(path, quotationsOfNote(path, snapshot.result))) this.changed();
  }

  /** Files changed on disk: notes that are not open are read again (or forgotten, when gone). */
  filesChanged(paths: readonly string[]): void {
    let differs = false;
    for (const path of paths) {
      if (this.context.documents.get(pathToUri(path))) continue;
      const state = this.context.noteState(pathToUri(path));
      differs = (state?.loaded.whole ? this.readNote(path, state) : this.uses.removeNote(path)) || differs;
    }
    if (differs) this.changed();
  }

  /** A note was closed: what counts now is the file as saved. */
  closed(uri: string): void {
    const path = uriToPath(uri);
    if (path) this.filesChanged([path]);
  }

  /** Reads one note (the open document's text, or the file) and records its quotations; says whether they changed. */
  private readNote(path: string, state: FolderState): boolean {
    const uri = pathToUri(path);
    const open = this.context.documents.get(uri);
    if (open) {
      // Recorded through `noteChecked`, as every check of an open note is.
      this.context.snapshot(open);
      return false;
    }
    const read = readTextFile(path);
    const loaded = state.loaded;
    if (!('text' in read) || !loaded) return this.uses.removeNote(path);
    const checker = state.checker ?? this.context.workspace.checkerFor(state.settings, loaded.corpus);
    const result = checkNote(loaded.corpus, read.text, { severity: state.settings.severity, checker });
    return this.uses.setNote(path, quotationsOfNote(path, result));
  }

  /** The corpus source a document shows: a text source's own file, or a document's extracted text (`verbatim-source:`). */
  private shown(uri: string): ShownSource | undefined {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file' && parsed.scheme !== SOURCE_TEXT_SCHEME) return undefined;
    const path = parsed.fsPath;
    for (const state of this.context.workspace.allStates()) {
      const source = state.loaded?.whole ? state.loaded.corpus.sources.find((s) => s.path === path) : undefined;
      if (!source) continue;
      // A document's offsets are those of its extracted text, which only the `verbatim-source:` view shows.
      const extracted = source.format === 'pdf' || source.format === 'html' || source.format === 'docx';
      if (extracted !== (parsed.scheme === SOURCE_TEXT_SCHEME)) return undefined;
      let lines = this.lineIndexes.get(source);
      if (!lines) {
        lines = new LineIndex(source.text);
        this.lineIndexes.set(source, lines);
      }
      return { state, source, lines };
    }
    return undefined;
  }

  private noteLocation(quotation: SourceQuotation): Location {
    return { uri: pathToUri(quotation.note), range: quotation.noteRange };
  }

  /** Each quoted span of an open source, for the client to highlight: the source's words, or words a note changed. */
  spans(uri: string): SourceQuotationSpan[] {
    const shown = this.shown(uri);
    if (!shown) return [];
    return this.uses.quotationsOf(shown.source.path).map((q) => ({ range: shown.lines.range(q.start, q.end), match: q.match }));
  }

  /** A CodeLens over each quoted paragraph: "quoted in 3 notes", showing the quotations when run. */
  codeLenses(uri: string): CodeLens[] {
    const shown = this.shown(uri);
    if (!shown) return [];
    return this.uses.quotedParagraphs(shown.source).map((quoted) => {
      const range = shown.lines.range(quoted.paragraph.start, quoted.paragraph.start);
      return { range, command: { title: quotedLabel(quoted), command: SHOW_SOURCE_QUOTATIONS_COMMAND, arguments: [uri, range.start, quoted.quotations.map((q) => this.noteLocation(q))] } };
    });
  }

  /** On a quoted span of a source: each quotation of it, with its note, line and verdict. Undefined when the document is no source. */
  hover(uri: string, position: Position): Hover | null | undefined {
    const shown = this.shown(uri);
    if (!shown) return undefined;
    const offset = shown.lines.offset(position);
    const quotations = this.uses.quotationsAt(shown.source.path, offset);
    if (quotations.length === 0) return null;
    const value = sourceQuotationsHover(quotations, (q) => {
      const { line, character } = q.noteRange.start;
      return { name: relative(shown.state.folder, q.note), target: URI.file(q.note).with({ fragment: `L${line + 1},${character + 1}` }).toString() };
    });
    const start = Math.min(...quotations.map((q) => q.start));
    const end = Math.max(...quotations.map((q) => q.end));
    return { contents: { kind: MarkupKind.Markdown, value }, range: shown.lines.range(start, end) };
  }

  /** Find References on a source paragraph: every quotation of it in the notes. Undefined when the document is no source. */
  references(uri: string, position: Position): Location[] | undefined {
    const shown = this.shown(uri);
    if (!shown) return undefined;
    const quoted = this.uses.quotedParagraphAt(shown.source, shown.lines.offset(position));
    return quoted ? quoted.quotations.map((q) => this.noteLocation(q)) : [];
  }
}
