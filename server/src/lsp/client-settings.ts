import type { Connection, InitializeParams } from 'vscode-languageserver';
import { isRecord, readSettings, verbatimSection, type VerbatimSettings } from './settings.js';
import { pathToUri } from './workspace.js';

/** A folder's settings and, for the log when something is missing, where they came from. */
export interface SourcedSettings {
  readonly settings: VerbatimSettings;
  readonly from: string;
}

/**
 * Where the `verbatim.*` settings come from. A client that can be asked
 * (workspace/configuration) is asked per folder. What a client pushes —
 * initializationOptions, then each workspace/didChangeConfiguration — is used
 * when it cannot be asked, or answers nothing: Neovim 0.7 does not advertise
 * workspace/configuration, and later versions answer null for a section their
 * `settings` table lacks.
 */
export class ClientSettings {
  private canAsk = false;
  private pushed: SourcedSettings = { settings: readSettings(undefined), from: 'the defaults (the client sent no verbatim settings)' };

  constructor(private readonly connection: Connection) {}

  initialize(params: InitializeParams): void {
    this.canAsk = params.capabilities.workspace?.configuration === true;
    const options: unknown = params.initializationOptions;
    // `{settings: {…}}` was read here before `{verbatim: {…}}` was documented; still read, so such configs keep working.
    const raw = verbatimSection(options) ?? (isRecord(options) ? options.settings : undefined);
    if (raw !== undefined) this.pushed = { settings: readSettings(raw), from: 'initializationOptions' };
  }

  /** Whether the client can be asked, and so wants to hear that settings may change (dynamic registration). */
  get askable(): boolean {
    return this.canAsk;
  }

  /** A workspace/didChangeConfiguration notification: it carries the settings, or (from a client that is asked) nothing. */
  changed(settings: unknown): void {
    const raw = verbatimSection(settings);
    if (raw !== undefined) this.pushed = { settings: readSettings(raw), from: 'workspace/didChangeConfiguration' };
  }

  /** The pushed settings: the only ones known before there is a folder to ask about. */
  get global(): VerbatimSettings {
    return this.pushed.settings;
  }

  async forFolder(folder: string): Promise<SourcedSettings> {
    if (!this.canAsk) return this.pushed;
    const answer: unknown = await this.connection.workspace.getConfiguration({ scopeUri: pathToUri(folder), section: 'verbatim' }).catch((): unknown => undefined);
    // The section asked for, or the whole `{verbatim: {…}}` from a client that ignores the section.
    const raw = verbatimSection(answer) ?? answer;
    return isRecord(raw) ? { settings: readSettings(raw), from: 'workspace/configuration' } : this.pushed;
  }
}
