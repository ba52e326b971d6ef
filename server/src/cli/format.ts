import type { Diagnostic } from '../engine/diagnostics.js';

export interface FileReport {
  path: string;
  diagnostics: Diagnostic[];
}

/** `N notes checked: E errors, W warnings, I information[, H hints]`. */
function summary(reports: readonly FileReport[], noteCount: number): string {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const report of reports) for (const d of report.diagnostics) counts[d.severity]++;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(noteCount, 'note')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information${counts.hint ? `, ${plural(counts.hint, 'hint')}` : ''}`;
}

/** `file:line:col severity code message`, 1-based as editors and terminals read them, then a summary. */
export function formatText(reports: readonly FileReport[], noteCount: number): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const d of report.diagnostics) lines.push(`${report.path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
  }
  lines.push(summary(reports, noteCount));
  return `${lines.join('\n')}\n`;
}

/** GitHub Actions has errors, warnings and notices. */
const COMMAND: Record<Diagnostic['severity'], string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** A workflow command's message: `%`, CR and LF escaped, as the runner unescapes them. */
const escapeData = (text: string): string => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');

/** A workflow command's property value: also `:` and `,`, which end a value. */
const escapeProperty = (text: string): string => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

/**
 * GitHub Actions workflow commands, one annotation per diagnostic
 * (`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), then the summary as a plain log
 * line. Lines and columns are 1-based; `endColumn` is the last character's column. The runner takes columns
 * only for a one-line range, so a range over several lines gives lines alone.
 */
export function formatGithub(reports: readonly FileReport[], noteCount: number): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const d of report.diagnostics) {
      const { start, end } = d.range;
      const place =
        start.line === end.line
          ? `line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${Math.max(end.character, start.character + 1)}`
          : `line=${start.line + 1},endLine=${end.line + 1}`;
      lines.push(`::${COMMAND[d.severity]} file=${escapeProperty(report.path)},${place},title=${escapeProperty(`Verbatim ${d.code}`)}::${escapeData(d.message)}`);
    }
  }
  lines.push(summary(reports, noteCount));
  return `${lines.join('\n')}\n`;
}

/** Exactly one JSON document: `{"version":1,"files":[{"path","diagnostics":[…]}]}`. */
export function formatJson(reports: readonly FileReport[]): string {
  const files = reports.map((r) => ({
    path: r.path,
    diagnostics: r.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      range: d.range,
      source: d.source,
      ...(d.data ? { data: d.data } : {}),
    })),
  }));
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}
