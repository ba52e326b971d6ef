import type { VFileMessage } from 'vfile-message';
import { defaultSeverity, isDiagnosticCode, type DiagnosticCode, type Severity, type SeveritySetting } from './codes.js';
import type { DiagnosticData, VerbatimMessage } from './checks/report.js';
import type { CorpusProblem } from './corpus/bibliography.js';
import type { LineIndex, Range } from './text/lines.js';

/**
 * A diagnostic in the shape LSP and `verbatim check --format json` share:
 * 0-based lines, UTF-16 characters, so the editor and the CLI agree to the
 * character.
 */
export interface Diagnostic {
  range: Range;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  source: 'verbatim';
  data?: DiagnosticData;
}

export type SeverityOverrides = Partial<Record<string, SeveritySetting>>;

function severityFor(code: DiagnosticCode, overrides: SeverityOverrides): SeveritySetting {
  return overrides[code] ?? defaultSeverity(code);
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    ORDER[a.severity] - ORDER[b.severity] ||
    a.code.localeCompare(b.code)
  );
}

/** Turns the checks' messages into diagnostics, with the configured severity per code (`off` drops them). */
export function toDiagnostics(messages: readonly VFileMessage[], lines: LineIndex, overrides: SeverityOverrides = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const message of messages as readonly VerbatimMessage[]) {
    const code = message.ruleId;
    if (!code || !isDiagnosticCode(code)) continue;
    const severity = severityFor(code, overrides);
    if (severity === 'off') continue;
    const start = message.place && 'start' in message.place ? message.place.start : message.place;
    const end = message.place && 'end' in message.place ? message.place.end : start;
    const range = lines.range(start?.offset ?? 0, end?.offset ?? start?.offset ?? 0);
    const diagnostic: Diagnostic = { range, severity, code, message: message.reason, source: 'verbatim' };
    if (message.data) diagnostic.data = message.data;
    diagnostics.push(diagnostic);
  }
  return diagnostics.sort(compareDiagnostics);
}

/** A corpus file that could not be read, as a diagnostic on that file. */
export function problemDiagnostic(problem: CorpusProblem, overrides: SeverityOverrides = {}): Diagnostic | undefined {
  const configured = overrides['corpus-error'];
  if (configured === 'off') return undefined;
  return {
    range: problem.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: configured ?? problem.severity,
    code: 'corpus-error',
    message: problem.message,
    source: 'verbatim',
  };
}

/** A note that could not be read as text, as a diagnostic on that note (at the first bad byte when known). */
export function unreadableNoteDiagnostic(read: { problem: string; range?: Range }, overrides: SeverityOverrides = {}): Diagnostic | undefined {
  const severity = severityFor('note-error', overrides);
  if (severity === 'off') return undefined;
  return {
    range: read.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity,
    code: 'note-error',
    message: `${read.problem}; the note was not checked`,
    source: 'verbatim',
  };
}
