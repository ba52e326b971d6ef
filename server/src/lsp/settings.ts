import type { SeverityOverrides } from '../engine/diagnostics.js';
import type { Sensitivity } from '../engine/claims/detect.js';
import type { FrontMatterMode } from '../engine/corpus/note-sources.js';

/** The `verbatim.*` settings (documented in package.json's contributes.configuration). */
export interface VerbatimSettings {
  /** The corpus folder, relative to the workspace folder (or absolute, set explicitly). */
  corpus: string;
  /** Globs (relative to the workspace folder) of the markdown files that are notes. */
  notes: string[];
  /** Severity per diagnostic code, or "off". */
  severity: SeverityOverrides;
  /** Quiet time after a keystroke before a note is checked again. */
  debounceMs: number;
  claims: {
    /** Where a citation must be for a claim to count as attributed. */
    scope: 'paragraph' | 'sentence';
    sensitivity: Sensitivity;
  };
  /** Whether a note's front-matter bibliography adds to the corpus or replaces it for that note. */
  frontMatterBibliography: FrontMatterMode;
}

export const DEFAULT_SETTINGS: VerbatimSettings = {
  corpus: 'corpus',
  notes: ['**/*.md', '**/*.markdown'],
  severity: {},
  debounceMs: 200,
  claims: { scope: 'paragraph', sensitivity: 'medium' },
  frontMatterBibliography: 'addition',
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads whatever the client sent, keeping only well-formed values. */
export function readSettings(raw: unknown): VerbatimSettings {
  const settings: VerbatimSettings = { ...DEFAULT_SETTINGS, severity: {}, claims: { ...DEFAULT_SETTINGS.claims } };
  if (!isRecord(raw)) return settings;
  if (typeof raw.corpus === 'string' && raw.corpus.trim() !== '') settings.corpus = raw.corpus.trim();
  if (Array.isArray(raw.notes) && raw.notes.every((g) => typeof g === 'string')) settings.notes = raw.notes;
  if (isRecord(raw.severity)) {
    for (const [code, level] of Object.entries(raw.severity)) {
      if (typeof level === 'string' && SEVERITIES.has(level)) settings.severity[code] = level as SeverityOverrides[string];
    }
  }
  if (isRecord(raw.claims)) {
    if (raw.claims.scope === 'paragraph' || raw.claims.scope === 'sentence') settings.claims.scope = raw.claims.scope;
    if (raw.claims.sensitivity === 'low' || raw.claims.sensitivity === 'medium' || raw.claims.sensitivity === 'high') settings.claims.sensitivity = raw.claims.sensitivity;
  }
  if (raw.frontMatterBibliography === 'addition' || raw.frontMatterBibliography === 'instead') settings.frontMatterBibliography = raw.frontMatterBibliography;
  if (typeof raw.debounceMs === 'number' && raw.debounceMs >= 0 && raw.debounceMs <= 5000) settings.debounceMs = raw.debounceMs;
  return settings;
}

/**
 * The `verbatim` object in what a client sent. Every channel carries the same
 * shape, `{verbatim: {corpus, notes, severity, …}}`: initializationOptions,
 * workspace/didChangeConfiguration's `settings`, and a workspace/configuration
 * answer from a client that returns its whole settings object instead of the
 * section asked for.
 */
export function verbatimSection(raw: unknown): unknown {
  return isRecord(raw) ? raw.verbatim : undefined;
}
