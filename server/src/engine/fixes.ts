import type { DiagnosticData, TextEditData } from './checks/report.js';

/** A repair a diagnostic carries: an edit of its own span, with the title an editor shows for it. */
export interface QuickFix extends TextEditData {
  readonly title: string;
  /** The one an editor may apply on its own: the repair, or failing one the first alternative. */
  readonly preferred: boolean;
}

function isFix(value: unknown): value is TextEditData & { title: string } {
  if (typeof value !== 'object' || value === null) return false;
  const edit = value as Record<string, unknown>;
  return typeof edit.title === 'string' && typeof edit.newText === 'string' && typeof edit.range === 'object' && edit.range !== null;
}

/**
 * A diagnostic's quick fixes, as the editor's code actions and the command line's SARIF both offer them: the
 * repair first, then the alternatives (closest keys for an unknown one). Data that arrived over the wire is
 * checked for shape, since a client may send back anything.
 */
export function quickFixes(data: DiagnosticData | undefined): QuickFix[] {
  const fixes = [...(isFix(data?.fix) ? [data.fix] : []), ...(data?.alternatives ?? []).filter(isFix)];
  return fixes.map((fix, i) => ({ title: fix.title, range: fix.range, newText: fix.newText, preferred: i === 0 }));
}
