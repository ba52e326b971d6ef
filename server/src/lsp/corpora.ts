import { MessageType, ShowMessageNotification, type Connection, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { userCacheFolder } from '../engine/corpus/extract/cache.js';
import { CorpusManager, type CorpusState, type LoadProgress } from '../engine/corpus/manager.js';
import type { ClientSettings, SourcedSettings } from './client-settings.js';
import type { DiagnosticsFeature } from './diagnostics.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { statusNotification, type CorpusStatus } from './protocol.js';
import type { FolderState, Workspace } from './workspace.js';

export function corpusStatus(state: FolderState): CorpusStatus {
  const loaded = state.loaded;
  return {
    folder: state.folder,
    sources: loaded?.corpus.sources.length ?? 0,
    // Counted from the index: asking each source for its paragraphs would parse them all.
    paragraphs: loaded?.corpus.sources.reduce((n, s) => n + s.indexed.paragraphCount, 0) ?? 0,
    bytes: loaded?.bytes ?? 0,
    loadMs: Math.round(loaded?.loadMs ?? 0),
    error: state.error,
  };
}

const PHASE_WORDS: Record<LoadProgress['phase'], string> = {
  connecting: 'connecting to the archive',
  reading: 'reading the corpus folder',
  indexing: 'indexing',
  extracting: 'reading',
};

function progressMessage(progress: LoadProgress): string {
  const { phase, done, total } = progress;
  if (phase === 'connecting' || total === 0) return PHASE_WORDS[phase];
  if (phase === 'reading') return `${total} files listed`;
  return `${PHASE_WORDS[phase]} ${done} of ${total} ${phase === 'extracting' ? 'documents' : 'sources'}`;
}

/**
 * One `$/progress` in the editor for one stretch of a folder's loading: begun
 * when the load begins, reported as it advances (each phase from 0 to 100 %),
 * ended when the corpus is ready or has failed. Messages go out in order even
 * though the progress token is asked for first.
 */
class ProgressDisplay {
  private reporter: Promise<WorkDoneProgressServerReporter | undefined>;
  private phase: LoadProgress['phase'];
  private percent: number;

  constructor(
    connection: Connection,
    readonly title: string,
    first: LoadProgress,
  ) {
    this.phase = first.phase;
    this.percent = percent(first);
    this.reporter = connection.window.createWorkDoneProgress().then(
      (reporter) => {
        reporter.begin(title, percent(first), progressMessage(first), false);
        return reporter;
      },
      () => undefined,
    );
  }

  report(progress: LoadProgress): void {
    const now = percent(progress);
    // A report per phase and per percent, not per source: a thousand sources are not a thousand notifications.
    if (progress.phase === this.phase && now === this.percent && progress.done !== progress.total) return;
    this.phase = progress.phase;
    this.percent = now;
    this.reporter = this.reporter.then((reporter) => {
      reporter?.report(now, progressMessage(progress));
      return reporter;
    });
  }

  end(): void {
    void this.reporter.then((reporter) => reporter?.done());
  }
}

function percent(progress: LoadProgress): number {
  return progress.total === 0 ? 0 : Math.floor((100 * progress.done) / progress.total);
}

/**
 * The server's side of the corpus manager: asks the client for each folder's
 * settings, and turns the manager's states into what the editor shows —
 * progress, the status bar, a message when the corpus the user set cannot be
 * read, corpus problems on their files — and into folder states the features
 * read.
 */
export class Corpora {
  private manager?: CorpusManager;
  /** Settings asked for and not yet in use: they take effect with the corpus they were loaded with. */
  private readonly requested = new Map<string, SourcedSettings>();
  /** Loads whose settings are still being asked for: a note opening meanwhile waits for this load rather than starting one. */
  private readonly asking = new Map<string, Promise<CorpusState>>();
  private readonly progress = new Map<string, ProgressDisplay>();
  /** Whether the server watches corpus folders itself: the client does not watch files for it. */
  private watchFolders = false;

  constructor(
    private readonly connection: Connection,
    private readonly workspace: Workspace,
    private readonly settings: ClientSettings,
    private readonly diagnostics: DiagnosticsFeature,
    /** A folder's corpus is ready (again), or could not be read: its open notes are checked again. */
    private readonly corpusChanged: (folder: string) => void,
  ) {}

  /** The client cannot watch files for the server (no dynamic registration of didChangeWatchedFiles): corpus folders are watched here. */
  watchCorpusFolders(): void {
    this.watchFolders = true;
  }

  /** The manager, made once the client has said where caches go, whether the workspace is trusted, and whether it watches files. */
  private get corpora(): CorpusManager {
    const environment = this.workspace.environment;
    this.manager ??= new CorpusManager({
      cacheFolder: environment.cacheFolder ?? userCacheFolder(),
      attachmentsOutside: environment.trusted,
      watch: this.watchFolders,
      changed: (folder, state) => this.changed(folder, state),
    });
    return this.manager;
  }

  /** (Re)loads a folder's corpus with its current settings; resolves once it is ready or has failed. */
  load(folder: string): Promise<CorpusState> {
    const load = this.settings.forFolder(folder).then((sourced) => {
      this.requested.set(folder, sourced);
      const setting = sourced.settings.corpus;
      return this.corpora.load(folder, { setting, explicit: setting !== DEFAULT_SETTINGS.corpus });
    });
    this.asking.set(folder, load);
    const forget = (): void => {
      if (this.asking.get(folder) === load) this.asking.delete(folder);
    };
    void load.then(forget, forget);
    return load;
  }

  /** The folder's corpus once ready or failed: the load under way, or a first load. */
  async ensure(folder: string): Promise<void> {
    await (this.asking.get(folder) ?? this.corpora.settled(folder) ?? this.load(folder));
  }

  /** Corpus files changed on disk (the client's file watcher): the manager reloads what holds them. */
  filesChanged(paths: readonly string[]): void {
    this.corpora.filesChanged(paths);
  }

  async dispose(): Promise<void> {
    for (const display of this.progress.values()) display.end();
    this.progress.clear();
    await this.manager?.dispose();
  }

  private changed(folder: string, state: CorpusState): void {
    this.showProgress(folder, state);
    if (state.status === 'loading') return;
    const previous = this.workspace.stateOf(folder);
    // Progress of documents being read: the corpus in use has not changed.
    if (state.status === 'ready' && previous?.loaded === state.loaded) return;
    const sourced = this.requested.get(folder) ?? { settings: previous?.settings ?? this.settings.global, from: previous?.settingsFrom ?? 'the defaults' };
    const { settings, from } = sourced;
    const next: FolderState = { folder, settings, settingsFrom: from, problemUris: previous?.problemUris ?? new Set(), withheld: false };
    if (state.status === 'ready') {
      const loaded = state.loaded;
      // Results of paragraphs the change cannot affect are kept: open notes are checked again in those it can.
      Object.assign(next, { loaded, corpusDir: loaded.corpusDir, checker: loaded.whole ? this.workspace.nextChecker(previous, settings, loaded.corpus) : undefined });
    } else {
      Object.assign(next, { error: state.reason, corpusDir: this.corpora.corpusDir(folder), withheld: state.explicit });
      // A workspace without a corpus folder is simply not Verbatim's business: only a corpus the user set explicitly is worth a pop-up.
      if (state.explicit) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Verbatim: ${state.reason}` });
    }
    this.workspace.setState(next);
    this.diagnostics.publishCorpusProblems(next);
    void this.connection.sendNotification(statusNotification, corpusStatus(next));
    this.corpusChanged(folder);
  }

  /** Loading and reading documents each get a progress of their own, from their first state to their last. */
  private showProgress(folder: string, state: CorpusState): void {
    const progress = state.status === 'failed' ? undefined : state.progress;
    const title = state.status === 'loading' ? 'Verbatim: loading the corpus' : 'Verbatim: reading documents';
    const shown = this.progress.get(folder);
    if (shown && (!progress || shown.title !== title)) {
      shown.end();
      this.progress.delete(folder);
    }
    if (!progress) return;
    const current = this.progress.get(folder);
    if (current) current.report(progress);
    else this.progress.set(folder, new ProgressDisplay(this.connection, title, progress));
  }
}
