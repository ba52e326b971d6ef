import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { DiagnosticCode } from '../codes.js';
import { LineIndex, type Range } from '../text/lines.js';
import type { Span } from '../note/citations.js';

/** A text edit in LSP terms: what a quick fix applies. */
export interface TextEditData {
  range: Range;
  newText: string;
}

/** What a message carries for its quick fix and hover (plain JSON: it travels in LSP `Diagnostic.data`). */
export interface DiagnosticData {
  /** The source key the words belong to (the cited one, or where they were found). */
  key?: string;
  /** 1-based paragraph numbers in that source. */
  paragraphs?: number[];
  /** The edit that repairs the problem, when there is one unambiguous repair. */
  fix?: TextEditData & { title: string };
  /** Alternative repairs (closest keys for an unknown one). */
  alternatives?: (TextEditData & { title: string })[];
  /** The quoted words a diagnostic is about when it stands elsewhere (on the speaker the note names beside them). */
  quotation?: Range;
  /** Word changes, source side and quotation side. */
  changes?: { source: string; quotation: string }[];
  /** Passages that may support an uncited claim, best first. */
  candidates?: { key: string; paragraph: number; excerpt: string }[];
  /** Why a sentence counts as a claim, in words. */
  reasons?: string;
  /** The source paragraph a figure was compared with, and where in its text the figure it gives stands (empty: none). */
  passage?: { key: string; paragraph: number; text: string; start: number; end: number };
}

export interface VerbatimMessage extends VFileMessage {
  data?: DiagnosticData;
}

declare module 'vfile' {
  interface DataMap {
    lineIndex: LineIndex;
  }
}

export function lineIndexOf(file: VFile): LineIndex {
  file.data.lineIndex ??= new LineIndex(String(file.value));
  return file.data.lineIndex;
}

export function rangeOf(file: VFile, span: Span): Range {
  return lineIndexOf(file).range(span.start, span.end);
}

/** Reports a problem at a document span with a stable code, carrying its fix data. */
export function report(file: VFile, code: DiagnosticCode, reason: string, span: Span, data?: DiagnosticData): VerbatimMessage {
  const lines = lineIndexOf(file);
  const start = lines.position(span.start);
  const end = lines.position(span.end);
  const message: VerbatimMessage = file.message(reason, {
    place: {
      start: { line: start.line + 1, column: start.character + 1, offset: span.start },
      end: { line: end.line + 1, column: end.character + 1, offset: span.end },
    },
    ruleId: code,
    source: 'verbatim',
  });
  if (data) message.data = data;
  return message;
}
