/** Stable diagnostic codes: notes, settings and suppression comments name them. */
export const CODES = {
  'quote-mismatch': { severity: 'warning', summary: 'near match in the cited source' },
  'quote-distorted': { severity: 'warning', summary: 'an ellipsis leaves out a negation, contrast or condition, or a bracket adds a negation' },
  'quote-misattributed': { severity: 'warning', summary: 'the note gives the words to one speaker, the source to another' },
  'quote-wrong-source': { severity: 'error', summary: 'not in the cited source, found in another' },
  'quote-not-found': { severity: 'error', summary: 'in no source' },
  'quote-uncited': { severity: 'warning', summary: 'a quotation (3+ words) with no citation' },
  'claim-uncited': { severity: 'information', summary: 'a factual claim with no citation' },
  'claim-unsupported': { severity: 'warning', summary: 'a cited sentence states a figure the cited passage does not give' },
  'unknown-source': { severity: 'error', summary: 'a key not in the corpus' },
  'locator-mismatch': { severity: 'warning', summary: 'the quotation is in the source but not at the cited paragraph' },
  'locator-invalid': { severity: 'error', summary: 'a locator that does not exist in the source or cannot be read' },
  'corpus-error': { severity: 'error', summary: 'a corpus file that cannot be read as a source or bibliography' },
  'note-error': { severity: 'error', summary: 'a note that cannot be read as UTF-8 text' },
} as const;

export type DiagnosticCode = keyof typeof CODES;
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export function isDiagnosticCode(value: string): value is DiagnosticCode {
  return Object.hasOwn(CODES, value);
}

export function defaultSeverity(code: DiagnosticCode): Severity {
  return CODES[code].severity;
}
