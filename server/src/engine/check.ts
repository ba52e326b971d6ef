import type { Root } from 'mdast';
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import { VFile } from 'vfile';
import type { Corpus } from './corpus/corpus.js';
import remarkVerbatimNote, { type NoteAnalysis, type NoteBlock, type NoteCitation, type NoteQuotation } from './note/analyze.js';
import remarkVerbatimJudge from './checks/judgements.js';
import checkUnknownSource from './checks/unknown-source.js';
import checkLocatorInvalid from './checks/locator-invalid.js';
import checkQuoteMismatch from './checks/quote-mismatch.js';
import checkQuoteDistorted from './checks/quote-distorted.js';
import checkQuoteMisattributed from './checks/quote-misattributed.js';
import checkQuoteWrongSource from './checks/quote-wrong-source.js';
import checkQuoteNotFound from './checks/quote-not-found.js';
import checkQuoteUncited from './checks/quote-uncited.js';
import checkLocatorMismatch from './checks/locator-mismatch.js';
import remarkVerbatimDirectives, { suppressed, type Directive } from './checks/suppression.js';
import checkClaimUncited, { type ClaimOptions } from './checks/claim-uncited.js';
import checkClaimUnsupported from './checks/claim-unsupported.js';
import { lineIndexOf } from './checks/report.js';
import { compareDiagnostics, problemDiagnostic, toDiagnostics, type Diagnostic, type SeverityOverrides } from './diagnostics.js';
import type { CorpusProblem } from './corpus/bibliography.js';
import type { JudgedQuotation } from './checks/judgements.js';
import { defaultSeverity } from './codes.js';
import { LineIndex } from './text/lines.js';
import { splitUnits, type Unit } from './units.js';
import { moveUnit } from './move.js';
import { affects, corpusChange, ReadRecorder, type CorpusReads } from './corpus/reads.js';

export type NoteProcessor = Processor<Root, Root, Root, undefined, undefined>;

/**
 * The whole check as one unified pipeline: parse markdown, read citations and
 * quotations, judge the quotations against the corpus, then one plugin per
 * diagnostic code.
 */
export interface ProcessorOptions {
  claims?: Omit<ClaimOptions, 'corpus'>;
}

function createNoteProcessor(corpus: Corpus, options: ProcessorOptions = {}): NoteProcessor {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml', 'toml'])
    .use(remarkGfm)
    .use(remarkVerbatimNote)
    .use(remarkVerbatimJudge, { corpus })
    .use(checkUnknownSource, { corpus })
    .use(checkLocatorInvalid, { corpus })
    .use(checkQuoteMismatch)
    .use(checkQuoteDistorted)
    .use(checkQuoteMisattributed, { tagger: options.claims?.tagger })
    .use(checkQuoteWrongSource)
    .use(checkQuoteNotFound)
    .use(checkQuoteUncited)
    .use(checkLocatorMismatch, { corpus })
    .use(checkClaimUncited, { corpus, ...options.claims })
    .use(checkClaimUnsupported, { corpus })
    .use(remarkVerbatimDirectives) as unknown as NoteProcessor;
}

export interface CheckOptions {
  severity?: SeverityOverrides;
  /** A checker to reuse: it keeps the results of unchanged units between checks. */
  checker?: NoteChecker;
  /** Check the note as one unit (no splitting, no cache): the reference the unit-wise check must equal. */
  wholeNote?: boolean;
}

/** A whole note, checked: diagnostics, and what was read and judged, all in the note's own offsets. */
export interface CheckResult {
  readonly text: string;
  readonly lines: LineIndex;
  readonly diagnostics: Diagnostic[];
  readonly analysis: NoteAnalysis;
  readonly judged: readonly JudgedQuotation[];
}

/** One unit's check, in the offsets and lines of the checked text: the unit's own, then its context. */
interface UnitResult {
  diagnostics: Diagnostic[];
  analysis: NoteAnalysis;
  judged: JudgedQuotation[];
  directives: Directive[];
}

/**
 * What units yield, gathered in note order. What lies in a unit's own text
 * arrives in order, unit after unit; what lies in a footnote definition a unit
 * owns may stand anywhere in the note, so it waits aside and is merged in by
 * position at the end (a sort of the few, not of all).
 */
class NoteOrder<T> {
  private readonly inOrder: T[] = [];
  private readonly aside: { at: number; item: T }[] = [];

  constructor(private readonly startOf: (item: T) => number) {}

  add(item: T, unit: Unit): void {
    const at = this.startOf(item);
    if (at >= unit.start && at < unit.end) this.inOrder.push(item);
    else this.aside.push({ at, item });
  }

  items(): T[] {
    if (this.aside.length === 0) return this.inOrder;
    this.aside.sort((a, b) => a.at - b.at);
    const merged: T[] = [];
    let next = 0;
    for (const item of this.inOrder) {
      const at = this.startOf(item);
      while (next < this.aside.length && this.aside[next].at < at) merged.push(this.aside[next++].item);
      merged.push(item);
    }
    while (next < this.aside.length) merged.push(this.aside[next++].item);
    return merged;
  }
}

/** A stretch of the checked text whose results a unit keeps, in offsets and lines of that text. */
interface Region {
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
}

/** The region holding `offset` (regions are ordered and apart), if any. */
function regionAt(regions: readonly Region[], offset: number): Region | undefined {
  let low = 0;
  let high = regions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (regions[mid].start <= offset) low = mid + 1;
    else high = mid;
  }
  const region = regions[low - 1] as Region | undefined;
  return region && offset < region.end ? region : undefined;
}

/** How many unit results a checker keeps (each is a paragraph or so)… */
const UNIT_CACHE_SIZE = 4000;
/** …and how much unit text they may hold in all: results of long units cost memory in proportion. */
const UNIT_CACHE_CHARACTERS = 2_000_000;

/** A unit's result, and what its check read of the corpus: it is kept across a corpus change that touches none of that. */
interface CachedUnit {
  result: UnitResult;
  reads: CorpusReads;
}

/**
 * Checks notes unit by unit (see `units.ts`), keeping each unit's result keyed
 * by its text: after an edit only the touched unit runs the pipeline again,
 * and the rest is moved into place. When the corpus changes, `carriedTo`
 * keeps the results of units that read nothing the change touched. The CLI
 * and the editor use the same path, so the editor's diagnostics always equal
 * a from-scratch check.
 */
export class NoteChecker {
  readonly processor: NoteProcessor;
  private readonly recorder: ReadRecorder;
  private readonly cache = new Map<string, CachedUnit>();
  private cachedCharacters = 0;
  private parsed = 0;

  constructor(
    readonly corpus: Corpus,
    readonly options: ProcessorOptions = {},
  ) {
    // The pipeline reads the corpus through a view that records what each unit reads.
    this.recorder = new ReadRecorder(corpus);
    this.processor = createNoteProcessor(this.recorder.corpus, options);
  }

  /** Units whose results are kept. */
  get cachedUnits(): number {
    return this.cache.size;
  }

  /**
   * A checker for `corpus`, the next state of this checker's corpus (a
   * source added, edited or removed), with the same options: it starts with
   * the results of the units whose reads the change does not touch, so that
   * checking a note again re-runs only the units the change can affect.
   */
  carriedTo(corpus: Corpus): NoteChecker {
    const next = new NoteChecker(corpus, this.options);
    const change = corpusChange(this.corpus, corpus);
    if (change.everything) return next;
    for (const [key, unit] of this.cache) if (!affects(change, unit.reads)) next.keep(key, unit);
    return next;
  }

  /** Characters run through the pipeline so far, footnote context included: what an edit cost to re-read. */
  get parsedCharacters(): number {
    return this.parsed;
  }

  check(text: string, options: Omit<CheckOptions, 'checker'> = {}): CheckResult {
    const lines = new LineIndex(text);
    const diagnostics: Diagnostic[] = [];
    const citations = new NoteOrder<NoteCitation>((c) => c.start);
    const quotations = new NoteOrder<NoteQuotation>((q) => q.span.start);
    const blocks = new NoteOrder<NoteBlock>((b) => b.prose.documentStart(0));
    const judgedInOrder = new NoteOrder<JudgedQuotation>((j) => j.quotation.span.start);
    const directives: Directive[] = [];
    const units: Unit[] = options.wholeNote ? [{ start: 0, end: text.length, line: 0, character: 0, context: '', appended: [] }] : splitUnits(text);
    for (const unit of units) {
      const result = this.unitResult(unit, text.slice(unit.start, unit.end), !options.wholeNote);
      const moved = moveUnit(result, unit);
      // Loops, not push(...spread): a unit may hold hundreds of thousands of items.
      for (const d of moved.diagnostics) diagnostics.push(d);
      for (const c of moved.analysis.citations) citations.add(c, unit);
      for (const q of moved.analysis.quotations) quotations.add(q, unit);
      for (const b of moved.analysis.blocks) blocks.add(b, unit);
      for (const j of moved.judged) judgedInOrder.add(j, unit);
      for (const d of moved.directives) directives.push(d);
    }
    const analysis: NoteAnalysis = { citations: citations.items(), quotations: quotations.items(), blocks: blocks.items() };
    const judged = judgedInOrder.items();
    directives.sort((a, b) => a.line - b.line);
    const severity = options.severity ?? {};
    const kept = diagnostics
      .filter((d) => !suppressed(directives, d.code, d.range.start.line))
      .flatMap((d) => {
        const level = severity[d.code] ?? defaultSeverity(d.code);
        return level === 'off' ? [] : [{ ...d, severity: level }];
      })
      .sort(compareDiagnostics);
    return { text, lines, diagnostics: withoutRepeats(kept), analysis, judged };
  }

  private unitResult(unit: Unit, unitText: string, cached: boolean): UnitResult {
    const { context, appended } = unit;
    // Which appended definitions the unit owns changes what it reports, so it is part of the key.
    let ownership = '';
    for (const a of appended) ownership += a.owned ? '1' : '0';
    const key = context ? `${unitText}\u0000${context}\u0000${ownership}` : unitText;
    const known = cached ? this.cache.get(key) : undefined;
    if (known) {
      // Most recently used last, so the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, known);
      return known.result;
    }
    if (!cached) return this.runUnit(unit, unitText);
    const { value: result, reads } = this.recorder.recorded(() => this.runUnit(unit, unitText));
    this.keep(key, { result, reads });
    return result;
  }

  private keep(key: string, unit: CachedUnit): void {
    this.cache.set(key, unit);
    this.cachedCharacters += key.length;
    while (this.cache.size > UNIT_CACHE_SIZE || this.cachedCharacters > UNIT_CACHE_CHARACTERS) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.cachedCharacters -= oldest.length;
    }
  }

  /** Runs one unit through the pipeline. */
  private runUnit(unit: Unit, unitText: string): UnitResult {
    const { context, appended } = unit;
    const borrowed = appended.filter((a) => !a.owned).map((a) => ({ start: a.at, end: a.endAt }));
    const file = new VFile({ value: unitText + context, data: borrowed.length > 0 ? { borrowed } : {} });
    this.processor.runSync(this.processor.parse(file), file);
    this.parsed += unitText.length + context.length;
    const lines = lineIndexOf(file);
    // What the unit reports: its own text and the definitions it owns; a borrowed definition reports in its owner.
    const regions: Region[] = [
      { start: 0, end: unitText.length, firstLine: 0, lastLine: new LineIndex(unitText).lineCount - 1 },
      ...appended.filter((a) => a.owned).map((a) => ({ start: a.at, end: a.endAt, firstLine: a.atLine, lastLine: a.lastAtLine })),
    ];
    const keeps = (offset: number): boolean => regionAt(regions, offset) !== undefined;
    const all = file.data.verbatim ?? { citations: [], quotations: [], blocks: [] };
    const analysis: NoteAnalysis = {
      citations: all.citations.filter((c) => keeps(c.start)),
      quotations: all.quotations.filter((q) => keeps(q.span.start)),
      blocks: all.blocks.filter((b) => b.prose.length === 0 || keeps(b.prose.documentStart(0))),
    };
    const diagnostics: Diagnostic[] = [];
    for (const d of toDiagnostics(file.messages, lines)) {
      const region = regionAt(regions, lines.offset(d.range.start));
      if (!region) continue;
      // A range that would run on past its region (into what follows it in the checked text) ends with it.
      diagnostics.push(lines.offset(d.range.end) > region.end ? { ...d, range: { start: d.range.start, end: lines.position(region.end) } } : d);
    }
    return {
      diagnostics,
      analysis,
      judged: (file.data.judged ?? []).filter((j) => keeps(j.quotation.span.start)),
      directives: (file.data.directives ?? []).filter((d) => regions.some((r) => d.line >= r.firstLine && d.line <= r.lastLine)),
    };
  }
}

/**
 * One problem, one diagnostic: two quotations that share a citation with a
 * wrong paragraph each find the same fault in it, at the same place, with the
 * same fix; the writer sees it once.
 */
function withoutRepeats(sorted: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sorted.filter((d) => {
    const key = `${d.code}\u0000${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks one note's text against the corpus. Synchronous: nothing here waits on I/O. */
export function checkNote(corpus: Corpus, text: string, options: CheckOptions = {}): CheckResult {
  const checker = options.checker ?? new NoteChecker(corpus);
  return checker.check(text, options);
}

const noteReader = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).use(remarkVerbatimNote);

/** Reads a note's citations and quotations without judging them (for finding references across notes). */
export function readNote(text: string): NoteAnalysis {
  const file = new VFile({ value: text });
  noteReader.runSync(noteReader.parse(file), file);
  return file.data.verbatim ?? { citations: [], quotations: [], blocks: [] };
}

/** A check with the problems of the note's own sources (named in its front matter) among its diagnostics, in order. */
export function withSourceProblems(result: CheckResult, problems: readonly CorpusProblem[], severity: SeverityOverrides = {}): CheckResult {
  if (problems.length === 0) return result;
  const added = problems.flatMap((problem) => problemDiagnostic(problem, severity) ?? []);
  return { ...result, diagnostics: [...result.diagnostics, ...added].sort(compareDiagnostics) };
}
