import type { JudgedQuotation } from './checks/judgements.js';
import type { DiagnosticData, TextEditData } from './checks/report.js';
import type { Directive } from './checks/suppression.js';
import type { Diagnostic } from './diagnostics.js';
import type { NoteAnalysis, NoteBlock, NoteCitation, NoteQuotation } from './note/analyze.js';
import { moveLocator, type Locator, type Span } from './note/citations.js';
import type { Range } from './text/lines.js';

/**
 * Moves a unit's results, computed as if the unit were the whole note, to
 * where the unit stands in the note: `offset` characters and `line` lines on
 * (and `character` along its first line).
 */
export interface UnitParts {
  diagnostics: Diagnostic[];
  analysis: NoteAnalysis;
  judged: JudgedQuotation[];
  directives: Directive[];
}

export function moveUnit(parts: UnitParts, offset: number, line: number, character = 0): UnitParts {
  if (offset === 0 && line === 0) return parts;
  // Only positions on the unit's first line move sideways (a unit cut from a giant line starts mid-line).
  const position = (p: Range['start']): Range['start'] => ({ line: p.line + line, character: p.line === 0 ? p.character + character : p.character });
  const range = (r: Range): Range => ({ start: position(r.start), end: position(r.end) });
  const edit = <T extends TextEditData>(e: T): T => ({ ...e, range: range(e.range) });
  const span = <T extends Span>(s: T): T => ({ ...s, start: s.start + offset, end: s.end + offset });
  const locator = (l: Locator | undefined): Locator | undefined => l && moveLocator(l, span);

  const citations = new Map<NoteCitation, NoteCitation>();
  const citation = (c: NoteCitation): NoteCitation => {
    let moved = citations.get(c);
    if (!moved) {
      moved = { ...span(c), items: c.items.map((i) => ({ ...i, keySpan: span(i.keySpan), locator: locator(i.locator) })) };
      citations.set(c, moved);
    }
    return moved;
  };
  const quotations = new Map<NoteQuotation, NoteQuotation>();
  const quotation = (q: NoteQuotation): NoteQuotation => {
    let moved = quotations.get(q);
    if (!moved) {
      moved = { ...q, prose: q.prose.shifted(offset), span: span(q.span), citation: q.citation ? citation(q.citation) : undefined };
      quotations.set(q, moved);
    }
    return moved;
  };
  const block = (b: NoteBlock): NoteBlock => ({ ...b, prose: b.prose.shifted(offset), citations: b.citations.map(citation), quotations: b.quotations.map(quotation) });
  const data = (d: DiagnosticData): DiagnosticData => ({
    ...d,
    ...(d.fix ? { fix: edit(d.fix) } : {}),
    ...(d.alternatives ? { alternatives: d.alternatives.map(edit) } : {}),
  });

  return {
    diagnostics: parts.diagnostics.map((d) => ({ ...d, range: range(d.range), ...(d.data ? { data: data(d.data) } : {}) })),
    analysis: {
      citations: parts.analysis.citations.map(citation),
      quotations: parts.analysis.quotations.map(quotation),
      blocks: parts.analysis.blocks.map(block),
    },
    judged: parts.judged.map((j) => ({ ...j, quotation: quotation(j.quotation) })),
    directives: parts.directives.map((d) => ({ ...d, line: d.line + line })),
  };
}
