import type { CheckResult } from '../check.js';
import type { Source } from '../corpus/corpus.js';
import type { ParagraphText } from '../corpus/paragraphs.js';
import { placesOf, type VerdictKind } from '../match/judge.js';
import type { Position, Range } from '../text/lines.js';

/** How a note's words stand to the source span they are read at: the source's words, or changed. */
export type QuotationMatch = 'verbatim' | 'changed';

/** One quotation of a note, seen from a source: where in the source, and where in the note. */
export interface SourceQuotation {
  /** The note's path. */
  readonly note: string;
  /** The quoted words' range in the note (zero-based lines and UTF-16 characters, as an editor counts them). */
  readonly noteRange: Range;
  /** The quoted words as the note writes them. */
  readonly words: string;
  readonly verdict: VerdictKind;
  readonly match: QuotationMatch;
  /** The source's path, and the words' offsets in its text. */
  readonly source: string;
  readonly start: number;
  readonly end: number;
  /** 1-based paragraph numbers the words span. */
  readonly paragraphs: readonly number[];
}

/** Where a verdict leaves the words: the source's own (as written, or by the conventions), or changed. Not found has no place. */
function matchOf(verdict: VerdictKind): QuotationMatch | undefined {
  switch (verdict) {
    case 'verbatim':
    case 'convention':
    case 'other-source':
    case 'found':
      return 'verbatim';
    case 'changed':
    case 'other-source-changed':
      return 'changed';
    case 'not-found':
    case 'unfound':
      return undefined;
  }
}

/** Every place a checked note's quotations are read at, one entry per place. */
export function quotationsOfNote(note: string, result: CheckResult): SourceQuotation[] {
  const quotations: SourceQuotation[] = [];
  for (const judged of result.judged) {
    const { judgement, quotation } = judged;
    const match = matchOf(judgement.verdict);
    if (!match) continue;
    const noteRange = result.lines.range(quotation.span.start, quotation.span.end);
    for (const place of placesOf(judgement)) {
      quotations.push({
        note,
        noteRange,
        words: quotation.prose.text,
        verdict: judgement.verdict,
        match,
        source: place.source.path,
        start: place.start,
        end: place.end,
        paragraphs: place.paragraphs,
      });
    }
  }
  return quotations;
}

/** A source paragraph that notes quote, with the quotations in it. */
export interface QuotedParagraph {
  readonly paragraph: ParagraphText;
  readonly quotations: readonly SourceQuotation[];
  /** How many distinct notes quote it. */
  readonly notes: number;
}

function byPlace(a: SourceQuotation, b: SourceQuotation): number {
  return a.start - b.start || a.end - b.end || a.note.localeCompare(b.note) || a.noteRange.start.line - b.noteRange.start.line;
}

const samePosition = (a: Position, b: Position): boolean => a.line === b.line && a.character === b.character;

/** Field by field: a note is recorded again after each keystroke, and its quotations mostly stand as they were. */
function sameQuotation(a: SourceQuotation, b: SourceQuotation): boolean {
  return (
    a.start === b.start &&
    a.end === b.end &&
    a.source === b.source &&
    a.note === b.note &&
    a.verdict === b.verdict &&
    a.match === b.match &&
    a.words === b.words &&
    samePosition(a.noteRange.start, b.noteRange.start) &&
    samePosition(a.noteRange.end, b.noteRange.end) &&
    a.paragraphs.length === b.paragraphs.length &&
    a.paragraphs.every((p, i) => p === b.paragraphs[i])
  );
}

function overlaps(quotation: SourceQuotation, start: number, end: number): boolean {
  return quotation.start < end && start < quotation.end;
}

/**
 * Which notes quote which sources, kept per note so that one note read again
 * replaces only its own entries. Looking up by source is what an open source
 * asks for; the index by source is rebuilt after a change, when first asked.
 */
export class SourceUses {
  private readonly byNote = new Map<string, readonly SourceQuotation[]>();
  private bySource: Map<string, SourceQuotation[]> | undefined;

  /** Records a note's quotations; says whether they differ from what was recorded. */
  setNote(note: string, quotations: readonly SourceQuotation[]): boolean {
    const before = this.byNote.get(note);
    if (before?.length === quotations.length && before.every((q, i) => sameQuotation(q, quotations[i]))) return false;
    this.byNote.set(note, quotations);
    this.bySource = undefined;
    return true;
  }

  /** Forgets a note (deleted, or no longer a note); says whether anything was recorded for it. */
  removeNote(note: string): boolean {
    const had = this.byNote.delete(note);
    if (had) this.bySource = undefined;
    return had;
  }

  /** The notes recorded, for a caller to forget those it no longer finds. */
  notes(): string[] {
    return [...this.byNote.keys()];
  }

  /** Every quotation of the source, in the source's order. */
  quotationsOf(source: string): readonly SourceQuotation[] {
    if (!this.bySource) {
      const index = new Map<string, SourceQuotation[]>();
      for (const quotations of this.byNote.values()) {
        for (const q of quotations) {
          const list = index.get(q.source);
          if (list) list.push(q);
          else index.set(q.source, [q]);
        }
      }
      for (const list of index.values()) list.sort(byPlace);
      this.bySource = index;
    }
    return this.bySource.get(source) ?? [];
  }

  /** The quotations whose source span holds `offset` (its ends included, as a cursor at a word's end is on it). */
  quotationsAt(source: string, offset: number): SourceQuotation[] {
    return this.quotationsOf(source).filter((q) => q.start <= offset && offset <= q.end);
  }

  /** Each paragraph of the source that notes quote, in order. */
  quotedParagraphs(source: Source): QuotedParagraph[] {
    const quotations = this.quotationsOf(source.path);
    if (quotations.length === 0) return [];
    const quoted: QuotedParagraph[] = [];
    for (const paragraph of source.paragraphs) {
      const inside = quotations.filter((q) => overlaps(q, paragraph.start, paragraph.end));
      if (inside.length > 0) quoted.push({ paragraph, quotations: inside, notes: new Set(inside.map((q) => q.note)).size });
    }
    return quoted;
  }

  /** The paragraph of the source at `offset`, when notes quote it. */
  quotedParagraphAt(source: Source, offset: number): QuotedParagraph | undefined {
    return this.quotedParagraphs(source).find(({ paragraph }) => paragraph.start <= offset && offset <= paragraph.end);
  }
}

/** "quoted in 3 notes", or "quoted 4 times in 3 notes" when a note quotes the paragraph more than once. */
export function quotedLabel(quoted: QuotedParagraph): string {
  const notes = `${quoted.notes} ${quoted.notes === 1 ? 'note' : 'notes'}`;
  return quoted.quotations.length === quoted.notes ? `quoted in ${notes}` : `quoted ${quoted.quotations.length} times in ${notes}`;
}
