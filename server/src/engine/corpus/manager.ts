import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { corpusBuildSteps, keyOfPath, type Corpus, type SourceFile } from './corpus.js';
import type { CorpusProblem } from './bibliography.js';
import { FolderExtractionCache } from './extract/cache.js';
import { writeIndexFile } from './index-file.js';
import { buildFirstIndex, extractDocuments, openIndex, readCorpusFiles, readUnread, type CorpusFiles, type OpenedIndex } from './load.js';
import { PostgresArchive } from './postgres/archive.js';
import { ArchiveUnavailable, displayUrl, isPostgresUrl, reason } from './postgres/connection.js';

/**
 * A folder's corpus over its lifetime: loaded in steps that leave the event
 * loop free between sources, reloaded when its files change, and always in
 * one known state — loading (which phase, how far), ready, or failed (why).
 * The language server shows these states; it never loads a corpus itself.
 */

/** What a load is doing: connecting to an archive, reading files, indexing sources, extracting documents. */
export type LoadPhase = 'connecting' | 'reading' | 'indexing' | 'extracting';

export interface LoadProgress {
  readonly phase: LoadPhase;
  /** Sources (files, for reading; documents, for extracting) done so far, of `total`. */
  readonly done: number;
  readonly total: number;
}

/** A corpus notes can be checked against. */
export interface LoadedCorpus {
  readonly folder: string;
  /** Where it comes from: the corpus folder, or the archive's URL with its password blanked. */
  readonly location: string;
  /** The corpus folder (none for an archive): files in it are not notes, and a change to one reloads it. */
  readonly corpusDir?: string;
  /**
   * For a folder, the whole corpus. For an archive, its catalogue: every key
   * and its metadata, with no text, and the problems the indexer found.
   */
  readonly corpus: Corpus;
  /** Whether `corpus` is what every note is checked against; when not (an archive), ask `corpusFor`. */
  readonly whole: boolean;
  /** The corpus to check this note against: the whole one, or the sources an archive finds the note citing and quoting. */
  corpusFor(note: string): Promise<Corpus>;
  /** Bytes of source text (0 for an archive: its size is the database's). */
  readonly bytes: number;
  readonly loadMs: number;
}

export type CorpusState =
  | { readonly status: 'loading'; readonly progress: LoadProgress }
  /** `progress` while documents are still being read, after the text sources are in use. */
  | { readonly status: 'ready'; readonly loaded: LoadedCorpus; readonly progress?: LoadProgress }
  /** `explicit` when the user named this corpus: a missing default `corpus` folder is no one's mistake. */
  | { readonly status: 'failed'; readonly reason: string; readonly explicit: boolean };

/** What a folder's corpus setting says, and whether the user set it. */
export interface CorpusRequest {
  /** A folder, relative to the workspace folder (which it may not leave) or absolute; or a `postgres://` URL. */
  readonly setting: string;
  readonly explicit: boolean;
}

export interface CorpusManagerOptions {
  /** Where the index and extracted document texts are kept between starts. */
  readonly cacheFolder: string;
  /** Whether a bibliography's attachments may be read from outside the corpus folder (see `CorpusReadOptions`). */
  readonly attachmentsOutside: boolean;
  /** Told of every state a folder's corpus passes through, in order. */
  readonly changed: (folder: string, state: CorpusState) => void;
  /** Files saved within this long of each other reload their corpus once. */
  readonly quietMs?: number;
  /** How long indexing runs before it lets other work in. */
  readonly sliceMs?: number;
  /**
   * Whether to watch each corpus folder itself (recursively) and reload on a
   * change: for an editor that does not watch files for the server. One that
   * does calls `filesChanged` instead.
   */
  readonly watch?: boolean;
}

const DEFAULT_QUIET_MS = 50;
const DEFAULT_SLICE_MS = 15;

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A load that a newer one replaced: it stops at its next step and reports nothing more. */
class Superseded extends Error {}

/** One folder's corpus: what was asked for, the load under way, and the latest corpus ready. */
interface FolderEntry {
  readonly request: CorpusRequest;
  state: CorpusState;
  /** Settles when the load is ready or has failed. */
  settled?: Promise<CorpusState>;
  corpusDir?: string;
  archive?: PostgresArchive;
  /** The corpus folder's watcher (see `CorpusManagerOptions.watch`), carried from load to load of the same folder. */
  watcher?: { dir: string; watcher: FSWatcher };
  /** The folder's index as last opened, carried from load to load: a reload reads only what was appended to its file since. */
  index?: OpenedIndex;
}

export class CorpusManager {
  private readonly entries = new Map<string, FolderEntry>();
  private readonly changedFolders = new Set<string>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: CorpusManagerOptions) {}

  /** The folder's corpus state, or undefined when none was asked for. */
  state(folder: string): CorpusState | undefined {
    return this.entries.get(folder)?.state;
  }

  /** The corpus folder a folder's setting resolved to, once a load has begun. */
  corpusDir(folder: string): string | undefined {
    return this.entries.get(folder)?.corpusDir;
  }

  /** The current load's outcome (ready or failed), or undefined when the folder was never loaded. */
  settled(folder: string): Promise<CorpusState> | undefined {
    return this.entries.get(folder)?.settled;
  }

  /** (Re)loads a folder's corpus; a load of the same folder still under way is abandoned. Resolves when it is ready or has failed. */
  load(folder: string, request: CorpusRequest): Promise<CorpusState> {
    const previous = this.entries.get(folder);
    // The archive a previous load opened serves its corpus until this one is ready.
    const entry: FolderEntry = { request, state: { status: 'loading', progress: { phase: 'reading', done: 0, total: 0 } }, archive: previous?.archive, watcher: previous?.watcher, index: previous?.index };
    this.entries.set(folder, entry);
    const settled = this.run(folder, entry);
    entry.settled = settled;
    return settled;
  }

  /** Corpus files changed on disk: the folders whose corpus holds them are reloaded once the changes stop. */
  filesChanged(paths: readonly string[]): void {
    for (const [folder, entry] of this.entries) {
      if (entry.corpusDir && paths.some((path) => entry.corpusDir !== undefined && isInside(path, entry.corpusDir))) this.changedFolders.add(folder);
    }
    if (this.changedFolders.size === 0) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reloadChanged(), this.options.quietMs ?? DEFAULT_QUIET_MS);
  }

  /** Stops every load and closes every archive connection. */
  async dispose(): Promise<void> {
    clearTimeout(this.reloadTimer);
    const archives = [...this.entries.values()].flatMap((e) => (e.archive ? [e.archive] : []));
    for (const entry of this.entries.values()) entry.watcher?.watcher.close();
    // Loads still under way find themselves superseded at their next step.
    this.entries.clear();
    await Promise.all(archives.map((a) => a.close().catch(() => undefined)));
  }

  private reloadChanged(): void {
    const due = [...this.changedFolders];
    this.changedFolders.clear();
    for (const folder of due) {
      const entry = this.entries.get(folder);
      if (entry) void this.load(folder, entry.request);
    }
  }

  private async run(folder: string, entry: FolderEntry): Promise<CorpusState> {
    try {
      return await (isPostgresUrl(entry.request.setting) ? this.openArchive(folder, entry) : this.readFolder(folder, entry));
    } catch (error) {
      // A newer load took over: its outcome is this one's.
      if (error instanceof Superseded) return this.entries.get(folder)?.settled ?? entry.state;
      return this.failed(folder, entry, `Cannot read the corpus at ${entry.corpusDir ?? entry.request.setting}: ${reason(error)}`);
    }
  }

  /** Reports a failure unexpected at any step (a folder that cannot be listed, a document reader that throws). */
  private failed(folder: string, entry: FolderEntry, message: string): CorpusState {
    try {
      return this.report(folder, entry, { status: 'failed', explicit: true, reason: message });
    } catch (error) {
      if (error instanceof Superseded) return entry.state;
      throw error;
    }
  }

  /** Records and reports a state, unless a newer load has taken over. */
  private report(folder: string, entry: FolderEntry, state: CorpusState): CorpusState {
    this.current(folder, entry);
    entry.state = state;
    this.options.changed(folder, state);
    return state;
  }

  private current(folder: string, entry: FolderEntry): void {
    if (this.entries.get(folder) !== entry) throw new Superseded();
  }

  private async readFolder(folder: string, entry: FolderEntry): Promise<CorpusState> {
    const { setting, explicit } = entry.request;
    const dir = isAbsolute(setting) ? resolve(setting) : resolve(folder, setting);
    if (!isAbsolute(setting) && !isInside(dir, folder)) {
      return this.report(folder, entry, { status: 'failed', explicit, reason: `verbatim.corpus "${setting}" points outside the workspace folder ${folder}; set an absolute path to use a corpus there` });
    }
    entry.corpusDir = dir;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      return this.report(folder, entry, { status: 'failed', explicit, reason: `Corpus folder not found: ${dir} (setting verbatim.corpus)` });
    }
    const started = performance.now();
    this.watchFolder(entry, dir);
    this.report(folder, entry, { status: 'loading', progress: { phase: 'reading', done: 0, total: 0 } });
    // Let what is waiting (a request sent with the first note) in before the files are read.
    await this.pause(folder, entry);
    const previous = entry.index?.stored;
    let index = openIndex(this.options.cacheFolder, dir, entry.index);
    entry.index = index;
    // With no index yet, the text files are only listed here: they are read, and the index made, on worker threads.
    const files = readCorpusFiles(dir, { attachmentsOutside: this.options.attachmentsOutside, stored: index.stored, unread: !index.stored });
    const listed = files.sources.length + (files.unread?.length ?? 0) + files.documents.length;
    this.report(folder, entry, { status: 'loading', progress: { phase: 'reading', done: listed, total: listed } });
    if (!index.stored) {
      index = await this.firstBuild(folder, entry, files, index);
      entry.index = index;
    }
    // Blocks are checked when first read: a damaged one, found by a lookup, has the corpus indexed afresh.
    if (index.stored && index.stored !== previous) index.stored.whenDamaged(() => this.filesChanged([dir]));
    const corpus = await this.build(folder, entry, files, undefined, index, (progress) => ({ status: 'loading', progress }));
    const loaded = this.folderCorpus(folder, dir, corpus, files, [], started);
    const extracting = files.documents.length > 0;
    const ready = this.report(folder, entry, { status: 'ready', loaded, progress: extracting ? { phase: 'extracting', done: 0, total: files.documents.length } : undefined });
    // An archive read before this folder was set served notes until now.
    void this.closeArchive(entry);
    if (extracting) {
      void this.readDocuments(folder, entry, files, index, loaded).catch((error: unknown) => {
        if (!(error instanceof Superseded)) this.failed(folder, entry, `Cannot read the documents in ${dir}: ${reason(error)}`);
      });
    }
    return ready;
  }

  /**
   * A folder's first index, made on worker threads while this thread answers
   * requests (see `buildFirstIndex`), with the sources they have done as
   * progress; where they are not worth it, the files are read here for
   * `build` to index in slices.
   */
  private async firstBuild(folder: string, entry: FolderEntry, files: CorpusFiles, index: OpenedIndex): Promise<OpenedIndex> {
    const total = files.sources.length + (files.unread?.length ?? 0);
    let done = 0;
    const built = await buildFirstIndex(index, files, [], {
      onProgress: (sources) => {
        done += sources;
        if (this.entries.get(folder) === entry) this.report(folder, entry, { status: 'loading', progress: { phase: 'indexing', done, total } });
      },
    });
    this.current(folder, entry);
    readUnread(files);
    return built;
  }

  /** Extracts the folder's documents while notes are checked against its text sources, then indexes them in. */
  private async readDocuments(folder: string, entry: FolderEntry, files: CorpusFiles, index: OpenedIndex, partial: LoadedCorpus): Promise<void> {
    const started = performance.now();
    const cache = new FolderExtractionCache(join(this.options.cacheFolder, 'extracted'));
    const extracted = await extractDocuments(files.documents, {
      cache,
      onProgress: (done, total) => {
        if (this.entries.get(folder) === entry) this.report(folder, entry, { status: 'ready', loaded: partial, progress: { phase: 'extracting', done, total } });
      },
    });
    const corpus = await this.build(folder, entry, files, extracted, index, (progress) => ({ status: 'ready', loaded: partial, progress }));
    // Its load time counts the text sources' load and the documents' reading, not the notes checked in between.
    const loaded = this.folderCorpus(folder, partial.location, corpus, files, extracted.sources, started - partial.loadMs);
    this.report(folder, entry, { status: 'ready', loaded });
  }

  /**
   * Indexes the sources (`corpusOf`, in steps): whenever a slice of time is
   * used up, it reports how many sources are done and lets other work run.
   */
  private async build(
    folder: string,
    entry: FolderEntry,
    files: CorpusFiles,
    extracted: { sources: SourceFile[]; problems: CorpusProblem[] } | undefined,
    index: OpenedIndex,
    during: (progress: LoadProgress) => CorpusState,
  ): Promise<Corpus> {
    const pending = extracted ? new Set<string>() : new Set(files.documents.map((d) => d.key ?? keyOfPath(d.path)));
    const sources = [...files.sources, ...(extracted?.sources ?? [])];
    const problems = [...files.problems, ...(extracted?.problems ?? [])];
    const steps = corpusBuildSteps(sources, files.bibliographies, problems, pending, { stored: index.stored });
    const sliceMs = this.options.sliceMs ?? DEFAULT_SLICE_MS;
    this.report(folder, entry, during({ phase: 'indexing', done: 0, total: sources.length }));
    let sliceStart = performance.now();
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        writeIndexFile(index.file, step.value);
        return step.value;
      }
      // The last source is reported too: progress ends at its total, not at the last slice's.
      if (performance.now() - sliceStart >= sliceMs || step.value.done === step.value.total) {
        this.report(folder, entry, during({ phase: 'indexing', ...step.value }));
        await this.pause(folder, entry);
        sliceStart = performance.now();
      }
    }
  }

  private folderCorpus(folder: string, dir: string, corpus: Corpus, files: CorpusFiles, extracted: readonly SourceFile[], started: number): LoadedCorpus {
    const whole = Promise.resolve(corpus);
    return {
      folder,
      location: dir,
      corpusDir: dir,
      corpus,
      whole: true,
      corpusFor: () => whole,
      // Counted from the files' sizes where known: a text read lazily is not read for a status bar.
      bytes: [...files.sources, ...extracted].reduce((n, source) => n + (source.size ?? source.text.length), 0),
      loadMs: performance.now() - started,
    };
  }

  /** Watches the corpus folder when asked to (once per folder, kept across reloads); a change reloads it as `filesChanged` does. */
  private watchFolder(entry: FolderEntry, dir: string): void {
    if (!this.options.watch || entry.watcher?.dir === dir) return;
    entry.watcher?.watcher.close();
    entry.watcher = undefined;
    try {
      const watcher = watch(dir, { recursive: true }, (_event, name) => this.filesChanged([name ? join(dir, name.toString()) : dir]));
      // A folder removed while watched: the next load says it is gone.
      watcher.on('error', () => this.filesChanged([dir]));
      entry.watcher = { dir, watcher };
    } catch {
      // Too many watches, or a file system without them: the corpus is still read, and re-read on Re-index.
    }
  }

  private async openArchive(folder: string, entry: FolderEntry): Promise<CorpusState> {
    const url = entry.request.setting;
    entry.corpusDir = undefined;
    entry.watcher?.watcher.close();
    entry.watcher = undefined;
    const started = performance.now();
    this.report(folder, entry, { status: 'loading', progress: { phase: 'connecting', done: 0, total: 1 } });
    let archive: PostgresArchive;
    let catalogue: Corpus;
    try {
      archive = await PostgresArchive.open(url);
    } catch (error) {
      const message = error instanceof ArchiveUnavailable ? error.message : `Cannot read the archive at ${displayUrl(url)}: ${reason(error)}`;
      const failed = this.report(folder, entry, { status: 'failed', explicit: true, reason: message });
      // The archive a previous setting opened serves nothing now.
      await this.closeArchive(entry);
      return failed;
    }
    try {
      this.current(folder, entry);
      // Every key and the indexer's problems, with no source text: what completion and the status bar need.
      catalogue = await archive.catalogue();
      this.current(folder, entry);
    } catch (error) {
      await archive.close().catch(() => undefined);
      if (error instanceof Superseded) throw error;
      const failed = this.report(folder, entry, { status: 'failed', explicit: true, reason: `Cannot read the archive at ${displayUrl(url)}: ${reason(error)}` });
      await this.closeArchive(entry);
      return failed;
    }
    await this.closeArchive(entry);
    entry.archive = archive;
    const loaded: LoadedCorpus = {
      folder,
      location: displayUrl(url),
      corpus: catalogue,
      whole: false,
      corpusFor: (note) => archive.corpusFor([note]),
      bytes: 0,
      loadMs: performance.now() - started,
    };
    return this.report(folder, entry, { status: 'ready', loaded });
  }

  private async closeArchive(entry: FolderEntry): Promise<void> {
    const archive = entry.archive;
    entry.archive = undefined;
    await archive?.close().catch(() => undefined);
  }

  /** Lets the event loop run what is waiting, then goes on only if this load is still the folder's. */
  private async pause(folder: string, entry: FolderEntry): Promise<void> {
    await nextTurn();
    this.current(folder, entry);
  }
}
