import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CancellationToken, Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Corpus, Source } from '../engine/corpus/corpus.js';
import { sourceReuseSteps, type ReuseSide } from '../engine/reuse/reuse.js';
import { reuseHover, sourceReuse, type SourceReuse } from '../engine/services/source-reuse.js';
import { LineIndex } from '../engine/text/lines.js';
import type { ServerContext } from './context.js';
import { uriToPath } from './workspace.js';

/** How long the reuse search runs before it lets other work (requests, checks) in. */
const SLICE_MS = 15;

/** An open document that is a source of its folder's whole corpus (not an archive's). */
interface OpenSource {
  readonly corpus: Corpus;
  readonly source: Source;
}

/**
 * The hover on a corpus source's paragraph that names the other sources
 * carrying its text. Each source's reuse is searched once per corpus, in the
 * background when the source is opened (or first hovered), in slices that
 * leave the event loop free; a reloaded corpus is a new corpus, searched
 * anew, and a search for a corpus no longer in use stops.
 */
export class SourceReuseFeature {
  /** Per corpus, each source's reuse (by path), searched or being searched. */
  private readonly searched = new WeakMap<Corpus, Map<string, Promise<SourceReuse | undefined>>>();
  private readonly lines = new WeakMap<Source, LineIndex>();

  constructor(private readonly context: ServerContext) {}

  /** Starts the search for an open document's reuse, when it is a corpus source. */
  prepare(uri: string): void {
    const open = this.sourceOf(uri);
    if (open) void this.reuseOf(open);
  }

  /** The reuse hover's markdown and the paragraph's range, or undefined when the paragraph under `position` shares no text. */
  async hover(document: TextDocument, position: Position, token: CancellationToken): Promise<{ value: string; range: Range } | undefined> {
    const open = this.sourceOf(document.uri);
    if (!open) return undefined;
    const reuse = await this.reuseOf(open);
    // Offsets are the saved file's: an edited, unsaved source has none to hover until the corpus reads it again.
    if (!reuse || token.isCancellationRequested || document.getText() !== open.source.text) return undefined;
    const offset = document.offsetAt(position);
    const paragraph = open.source.paragraphs.find((p) => offset >= p.start && offset < p.end);
    if (!paragraph) return undefined;
    const value = reuseHover(reuse, paragraph.number, (side) => this.link(open.corpus, side));
    return value ? { value, range: { start: document.positionAt(paragraph.start), end: document.positionAt(paragraph.end) } } : undefined;
  }

  private sourceOf(uri: string): OpenSource | undefined {
    const path = uriToPath(uri);
    return path ? this.sourceAt(path) : undefined;
  }

  /** The source at `path` in its folder's corpus now in use. */
  private sourceAt(path: string): OpenSource | undefined {
    const folder = this.context.workspace.folderOf(path);
    const loaded = folder ? this.context.workspace.stateOf(folder)?.loaded : undefined;
    if (!loaded?.whole) return undefined;
    const source = loaded.corpus.sources.find((s) => s.path === path);
    return source ? { corpus: loaded.corpus, source } : undefined;
  }

  private reuseOf(open: OpenSource): Promise<SourceReuse | undefined> {
    let bySource = this.searched.get(open.corpus);
    if (!bySource) {
      bySource = new Map();
      this.searched.set(open.corpus, bySource);
    }
    let search = bySource.get(open.source.path);
    if (!search) {
      search = this.search(open);
      bySource.set(open.source.path, search);
    }
    return search;
  }

  private async search({ corpus, source }: OpenSource): Promise<SourceReuse | undefined> {
    const inUse = (): boolean => this.sourceAt(source.path)?.corpus === corpus;
    try {
      const steps = sourceReuseSteps(corpus, source);
      let sliceStart = performance.now();
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) return sourceReuse(source, step.value);
        if (performance.now() - sliceStart < SLICE_MS) continue;
        await nextTurn();
        if (!inUse()) return undefined;
        sliceStart = performance.now();
      }
    } catch (error) {
      this.context.connection.console.error(`Verbatim: text reuse of ${source.path} could not be searched: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** The other side's paragraph as a `file:` URI with its line (`#L12`, which VS Code opens at that line). */
  private link(corpus: Corpus, side: ReuseSide): string | undefined {
    const source = corpus.sources.find((s) => s.path === side.path);
    const paragraph = source?.paragraphs.find((p) => p.number === side.paragraph);
    if (!source || !paragraph) return undefined;
    let lines = this.lines.get(source);
    if (!lines) {
      lines = new LineIndex(source.text);
      this.lines.set(source, lines);
    }
    return `${this.context.workspace.sourceUri(source)}#L${lines.position(paragraph.start).line + 1}`;
  }
}
