import type { JudgedQuotation } from './checks/judgements.js';
import type { DiagnosticData, TextEditData } from './checks/report.js';
import type { Directive } from './checks/suppression.js';
import type { Diagnostic } from './diagnostics.js';
import type { NoteAnalysis, NoteBlock, NoteCitation, NoteCitationItem, NoteQuotation } from './note/analyze.js';
import { moveLocator, type Locator, type Span } from './note/citations.js';
import type { Position, Range } from './text/lines.js';
import type { AppendedDefinition, Placed } from './units.js';

/** What checking one unit yields, in the offsets and lines of the text that was checked. */
export interface UnitParts {
  diagnostics: Diagnostic[];
  analysis: NoteAnalysis;
  judged: JudgedQuotation[];
  directives: Directive[];
}

/** Where a unit, and each definition appended to it, stands in the note. */
export interface UnitPlacement extends Placed {
  appended: readonly AppendedDefinition[];
}

/** The appended definition holding `value` (an offset or a line of the checked text), if it lies past the unit. */
function appendedAt(appended: readonly AppendedDefinition[], value: number, by: 'at' | 'atLine'): AppendedDefinition | undefined {
  let low = 0;
  let high = appended.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (appended[mid][by] <= value) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? appended[low - 1] : undefined;
}

/**
 * Moves a unit's results, computed as if the unit and its context were the
 * whole note, to where they stand in the note: what lies in the unit moves
 * with the unit, and what lies in an appended footnote definition (a fix that
 * edits the footnote's locator, a citation item read from it) moves to that
 * definition.
 */
export function moveUnit(parts: UnitParts, unit: UnitPlacement): UnitParts {
  if (unit.start === 0 && unit.line === 0 && unit.character === 0 && unit.appended.length === 0) return parts;
  const offset = (at: number): number => {
    const definition = appendedAt(unit.appended, at, 'at');
    return definition ? definition.start + (at - definition.at) : at + unit.start;
  };
  // Only positions on a piece's first line move sideways (a piece cut from a giant line starts mid-line).
  const position = (p: Position): Position => {
    const definition = appendedAt(unit.appended, p.line, 'atLine');
    if (!definition) return { line: p.line + unit.line, character: p.line === 0 ? p.character + unit.character : p.character };
    return { line: p.line - definition.atLine + definition.line, character: p.line === definition.atLine ? p.character + definition.character : p.character };
  };
  const range = (r: Range): Range => ({ start: position(r.start), end: position(r.end) });
  const edit = <T extends TextEditData>(e: T): T => ({ ...e, range: range(e.range) });
  // Objects written out rather than spread: this runs for every unit on every keystroke.
  const span = (s: Span): Span => ({ start: offset(s.start), end: offset(s.end) });
  const locator = (l: Locator | undefined): Locator | undefined => l && moveLocator(l, span);
  const item = (i: NoteCitationItem): NoteCitationItem => ({
    key: i.key,
    keySpan: span(i.keySpan),
    suppressAuthor: i.suppressAuthor,
    prefix: i.prefix,
    suffix: i.suffix,
    locator: locator(i.locator),
  });

  const citations = new Map<NoteCitation, NoteCitation>();
  const citation = (c: NoteCitation): NoteCitation => {
    let moved = citations.get(c);
    if (!moved) {
      const start = offset(c.start);
      const end = offset(c.end);
      const items = c.items.map(item);
      moved = c.footnote ? { kind: c.kind, start, end, items, footnote: c.footnote.map(citation) } : { kind: c.kind, start, end, items };
      citations.set(c, moved);
    }
    return moved;
  };
  const quotations = new Map<NoteQuotation, NoteQuotation>();
  const quotation = (q: NoteQuotation): NoteQuotation => {
    let moved = quotations.get(q);
    if (!moved) {
      moved = { ...q, prose: q.prose.shifted(offset(q.span.start) - q.span.start), span: span(q.span), citation: q.citation ? citation(q.citation) : undefined };
      quotations.set(q, moved);
    }
    return moved;
  };
  // Prose lies in one piece (the unit, or a definition it owns) and moves with it.
  const prose = (p: NoteBlock['prose']): NoteBlock['prose'] => (p.length === 0 ? p.shifted(unit.start) : p.shifted(offset(p.documentStart(0)) - p.documentStart(0)));
  const block = (b: NoteBlock): NoteBlock => ({ ...b, prose: prose(b.prose), citations: b.citations.map(citation), quotations: b.quotations.map(quotation) });
  const data = (d: DiagnosticData): DiagnosticData => ({
    ...d,
    ...(d.fix ? { fix: edit(d.fix) } : {}),
    ...(d.alternatives ? { alternatives: d.alternatives.map(edit) } : {}),
    ...(d.quotation ? { quotation: range(d.quotation) } : {}),
  });

  return {
    diagnostics: parts.diagnostics.map((d) => ({ ...d, range: range(d.range), ...(d.data ? { data: data(d.data) } : {}) })),
    analysis: {
      citations: parts.analysis.citations.map(citation),
      quotations: parts.analysis.quotations.map(quotation),
      blocks: parts.analysis.blocks.map(block),
    },
    judged: parts.judged.map((j) => ({ ...j, quotation: quotation(j.quotation) })),
    directives: parts.directives.map((d) => ({ ...d, line: position({ line: d.line, character: 0 }).line })),
  };
}
