import type { Diagnostic } from '../engine/diagnostics.js';

export interface FileReport {
  path: string;
  diagnostics: Diagnostic[];
}

/** `file:line:col severity code message`, 1-based as editors and terminals read them, then a summary. */
export function formatText(reports: readonly FileReport[], noteCount: number): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const report of reports) {
    for (const d of report.diagnostics) {
      counts[d.severity]++;
      lines.push(`${report.path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
    }
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(noteCount, 'note')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information${counts.hint ? `, ${plural(counts.hint, 'hint')}` : ''}`,
  );
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
