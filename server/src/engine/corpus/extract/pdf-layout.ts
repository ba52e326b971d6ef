import type { PageSpan } from './extracted.js';

/**
 * PDF layout: the text runs a PDF draws on its pages, turned into the text a
 * reader sees — lines by baseline, running heads and page numbers dropped,
 * paragraphs from the layout, hyphenated words joined, a paragraph that runs
 * over a page break kept whole. Pure: no pdfjs, so it is tested with runs made
 * by hand as well as with real PDFs (`pdf.ts` feeds it).
 *
 * Single-column pages only: runs on one baseline are one line, whatever their
 * horizontal distance.
 */

/** One piece of text as the page draws it, in the frame where the page's text reads: x to the right, y downwards, in points. */
export interface PdfRun {
  readonly text: string;
  /** The left end of the run's baseline. */
  readonly x: number;
  readonly y: number;
  /** Advance width along the baseline. */
  readonly width: number;
  /** Font size: the text's height across its baseline. */
  readonly size: number;
}

export interface PdfPageText {
  /** The page's label (`iv`, `233`) or physical number. */
  readonly label: string;
  readonly runs: readonly PdfRun[];
}

interface LayoutOptions {
  /**
   * The producer draws the hyphens of its own line breaks as U+2010 and never
   * as U+002D (Chromium's Skia/PDF, for a soft hyphen), so a hyphen-minus at a
   * line end is one the author typed.
   */
  readonly breakHyphensMarked?: boolean;
}

interface LaidOutText {
  /** Paragraphs, one per line, blank lines between. */
  readonly text: string;
  readonly pages: PageSpan[];
}

/** A run's text in a line: `raised` for a superscript, `spaceBefore` when a space separates it from the part before. */
interface LinePart {
  readonly text: string;
  readonly raised: boolean;
  readonly spaceBefore: boolean;
}

interface Line {
  readonly page: number;
  readonly parts: readonly LinePart[];
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  /** Baseline of the line's main text (not of its superscripts). */
  readonly y: number;
  /** Font size of most of its characters. */
  readonly size: number;
  /** Where the text after a leading list marker (`•`, `1.`, `(a)`) starts: the column its continuation lines align with. */
  readonly textX: number;
  /** Estimated width of the line's first unbreakable piece (a word, or a word up to its first hyphen). */
  readonly firstChunkWidth: number;
  /** Its first run is a superscript: a note marker. */
  readonly raisedStart: boolean;
}

interface Paragraph {
  readonly lines: Line[];
  readonly footnote: boolean;
}

/** A paragraph's text as pieces, each from one page; `glue` joins it to the previous piece. */
interface Piece {
  page: number;
  glue: string;
  text: string;
}

const BULLET = /^[•◦▪▫‣⁃●○■□►▸➢✓✔]/u;
/** A list marker standing alone at a line start: bullet, `1.`, `a)`, `(iv)`. */
const LIST_MARKER = /^(?:[•◦▪▫‣⁃●○■□►▸➢✓✔*–-]|\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,5})[.)])$/iu;
const NOTE_SYMBOL = /^[*†‡§¶‖]/u;
const LIGATURES = /[\uFB00-\uFB4F]+/gu;
const CONTROLS = /[\p{Cc}\uFFFE\uFFFF]/gu;
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-\u2010][\p{L}\p{M}\p{N}]+)*/gu;
/** A line-start piece a line breaker cannot split: up to white space, or through a hyphen or dash inside a word. */
const FIRST_CHUNK = /^\S+?(?:[-\u2010–—](?=\S)|(?=\s)|$)/u;
/** A table-of-contents entry: dot leaders, then a page number. */
const LEADERS = /(?:\.\s?){4,}\s*[\divxlc]+$/iu;
/** The page numbers printed in margins: `12`, `xiv`, `- 12 -`, `Page 3`, `3 of 10`, `3 / 10`. */
const PAGE_NUMBER = /^(?:page\s+)?[-–—[(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—\])]?(?:\s*(?:of|\/)\s*\d{1,4})?$/iu;
const ROMAN = /^(?=[mdclxvi])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/iu;

/** Lays out every page and joins them into one text with its page spans. */
export function layOutPdf(pages: readonly PdfPageText[], options: LayoutOptions = {}): LaidOutText {
  const kept = dropRunningHeadsAndFeet(pages.map((page, index) => linesOf(page.runs, index)));
  const bodySize = dominantSize(kept.flat());
  const notesFrom = kept.map((lines) => footnoteStart(lines, bodySize));
  const linesByPage = kept.map((lines, page) => withoutNoteReferences(lines, notesFrom[page]));
  const all = linesByPage.flat();
  const context: Context = {
    bodySize,
    spacing: lineSpacings(linesByPage, bodySize),
    vocabulary: vocabularyOf(all),
    breakHyphensMarked: options.breakHyphensMarked === true || marksItsBreakHyphens(all),
    typicalBottom: median(linesByPage.filter((lines) => lines.length > 0).map((lines) => lines[lines.length - 1].y)),
    margins: pageMargins(linesByPage, bodySize),
  };
  const paragraphsByPage = linesByPage.map((lines, page) => paragraphsOfPage(lines, notesFrom[page], context));
  return assemble(pages, linesByPage, paragraphsByPage, context);
}

interface Context {
  readonly bodySize: number;
  readonly spacing: (size: number) => number;
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly breakHyphensMarked: boolean;
  /** The baseline of the lowest line on most pages: a page whose text stops well above it ended early. */
  readonly typicalBottom: number;
  /** Each page's left margin (`pageMargins`). */
  readonly margins: readonly number[];
}

// ---------------------------------------------------------------- lines

interface Cluster {
  base: number;
  size: number;
  runs: PdfRun[];
}

function isBlank(run: PdfRun): boolean {
  return !/\S/u.test(run.text);
}

/** Groups a page's runs into lines by baseline (a superscript joins the line it rides on), top to bottom. */
function linesOf(runs: readonly PdfRun[], page: number): Line[] {
  const usable = runs.filter((run) => run.size > 0 && Number.isFinite(run.x) && Number.isFinite(run.y) && run.text.length > 0);
  usable.sort((a, b) => a.y - b.y || a.x - b.x);
  const clusters: Cluster[] = [];
  for (const run of usable) {
    const last = clusters[clusters.length - 1];
    if (last && Math.abs(run.y - last.base) <= 0.5 * Math.max(run.size, last.size)) {
      last.runs.push(run);
      // The line's baseline is that of its largest text, so a superscript met first does not set it.
      if (!isBlank(run) && run.size > last.size) {
        last.size = run.size;
        last.base = run.y;
      }
    } else {
      clusters.push({ base: run.y, size: isBlank(run) ? 0 : run.size, runs: [run] });
    }
  }
  const lines: Line[] = [];
  for (const cluster of clusters) {
    const line = lineOf(cluster.runs, page);
    if (line) lines.push(line);
  }
  return lines;
}

function lineOf(runs: PdfRun[], page: number): Line | undefined {
  runs.sort((a, b) => a.x - b.x);
  const texts: PdfRun[] = [];
  for (const run of runs) {
    if (isBlank(run)) continue;
    // An overstrike (a glyph drawn over another, fake bold drawn twice) lies inside a run already kept.
    const over = texts.find(
      (kept) =>
        run.x >= kept.x - 0.1 * kept.size &&
        run.x + run.width <= kept.x + kept.width + 0.1 * kept.size &&
        (run.text === kept.text || run.text.trim().length <= 2),
    );
    if (!over) texts.push(run);
  }
  if (texts.length === 0) return undefined;
  const size = dominantRunSize(texts);
  const main = texts.find((run) => Math.abs(run.size - size) < 0.05 * size) ?? texts[0];
  const y = main.y;

  const parts: LinePart[] = [];
  let previous: PdfRun | undefined;
  for (const run of texts) {
    let text = run.text;
    let spaceBefore = false;
    if (previous) {
      const before = previous;
      const end = before.x + before.width;
      const gap = run.x - end;
      // pdfjs skips an invisible soft hyphen without advancing past its width (Chromium's PDFs give it one) and
      // then starts the next run with a space that is not there: a run opening with white space right where the
      // previous one ends. (pdfjs never starts a run with a space glyph it drew: it skips those and moves on.)
      if (/^\s/u.test(text) && Math.abs(gap) < 0.05 * run.size) text = text.trimStart();
      // pdfjs reports the spaces it sees as runs of their own; a gap of a fifth of an em is a space too.
      const spaceRun = runs.some((r) => isBlank(r) && r.x >= before.x && r.x <= run.x + 0.01);
      spaceBefore = spaceRun || gap > 0.2 * Math.min(size, Math.max(run.size, before.size));
    }
    const raised = run.y < y - 0.2 * size && run.size < 0.9 * size;
    // A note mark opening a line (`¹The note…`) is set apart from the note's words.
    if (parts.length === 1 && parts[0].raised && !raised) spaceBefore = true;
    parts.push({ text, raised, spaceBefore });
    previous = run;
  }
  const text = textOf(parts);
  if (text === '') return undefined;

  const first = texts[0];
  const x0 = first.x;
  const x1 = Math.max(...texts.map((run) => run.x + run.width));
  let textX = x0;
  if (texts.length > 1 && LIST_MARKER.test(first.text.trim())) textX = texts[1].x;
  else {
    const inRun = /^([•◦▪▫‣⁃●○■□►▸➢✓✔]\s+)\S/u.exec(first.text);
    if (inRun) textX = first.x + (first.width * inRun[1].length) / first.text.length;
  }
  const chunk = FIRST_CHUNK.exec(text)?.[0] ?? text;
  const firstChunkWidth = ((x1 - x0) * chunk.length) / text.length;
  return { page, parts, text, x0, x1, y, size, textX, firstChunkWidth, raisedStart: parts[0].raised };
}

function textOf(parts: readonly LinePart[]): string {
  return clean(parts.map((part, i) => (i > 0 && part.spaceBefore ? ' ' : '') + part.text).join(''));
}

/** Ligatures through NFKC (ﬁ → fi), control characters out, soft hyphens out except at the line end (a break, decided when lines join), white space as one space. */
function clean(raw: string): string {
  let text = raw.replace(LIGATURES, (ligature) => ligature.normalize('NFKC')).replace(CONTROLS, ' ');
  text = text.replace(/\s+/gu, ' ').trim();
  const softEnd = text.endsWith('\u00AD');
  text = text.replace(/\u00AD/gu, '');
  return softEnd && text !== '' ? `${text}\u00AD` : text;
}

function dominantRunSize(runs: readonly PdfRun[]): number {
  const weight = new Map<number, number>();
  for (const run of runs) {
    const key = Math.round(run.size * 10) / 10;
    weight.set(key, (weight.get(key) ?? 0) + run.text.length);
  }
  return argMax(weight) ?? runs[0].size;
}

/** The font size of most of the document's characters: its body text. */
function dominantSize(lines: readonly Line[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    const key = Math.round(line.size * 10) / 10;
    weight.set(key, (weight.get(key) ?? 0) + line.text.length);
  }
  return argMax(weight) ?? 10;
}

function argMax(weights: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestWeight = -1;
  for (const [key, weight] of weights) {
    if (weight > bestWeight) {
      best = key;
      bestWeight = weight;
    }
  }
  return best;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round(q * (sorted.length - 1))];
}

function sameSize(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.1 * Math.max(a, b);
}

// ---------------------------------------------------------------- running heads and feet

/** What a margin line says once its numbers are masked: `Chapter 4: Function reference 12` and `… 13` are one running head. */
function marginKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/gu, '#')
    .split(' ')
    .map((word) => (ROMAN.test(word) ? '#' : word))
    .join(' ');
}

/**
 * Drops running heads and feet: among the two outermost lines at the top and at
 * the bottom of a page, a line that recurs (numbers masked) at the same height
 * on another page, a line in the same size at the height of such running heads,
 * and a bare page number (`12`, `xiv`, `Page 3 of 10`).
 */
function dropRunningHeadsAndFeet(pages: Line[][]): Line[][] {
  const candidates = (lines: Line[]): { top: Line[]; bottom: Line[] } => ({
    top: lines.slice(0, 2),
    bottom: lines.length > 2 ? lines.slice(-2) : lines.slice(2),
  });
  const seen = { top: new Map<string, Line[]>(), bottom: new Map<string, Line[]>() };
  for (const lines of pages) {
    const { top, bottom } = candidates(lines);
    for (const [band, list] of [
      ['top', top],
      ['bottom', bottom],
    ] as const) {
      for (const line of list) {
        const key = marginKey(line.text);
        if (!/\p{L}/u.test(key)) continue;
        const same = seen[band].get(key) ?? [];
        same.push(line);
        seen[band].set(key, same);
      }
    }
  }
  const near = (a: Line, b: Line): boolean => a.page !== b.page && Math.abs(a.y - b.y) <= Math.max(2, 0.3 * a.size);
  const recurs = (band: 'top' | 'bottom', line: Line): boolean =>
    (seen[band].get(marginKey(line.text)) ?? []).some((other) => near(line, other));
  // Where running heads stand: a line there in the same size is one too, though its words are on no other page
  // (a verso head printed once, the head of a chapter that has only one more page).
  const places = { top: [] as Line[], bottom: [] as Line[] };
  for (const band of ['top', 'bottom'] as const) {
    for (const same of seen[band].values()) places[band].push(...same.filter((line) => recurs(band, line)));
  }
  const running = (band: 'top' | 'bottom', line: Line): boolean =>
    recurs(band, line) || places[band].some((head) => near(line, head) && sameSize(line.size, head.size));
  return pages.map((lines) => {
    const kept = [...lines];
    for (let i = 0; i < 2 && kept.length > 0; i++) {
      const line = kept[0];
      if (running('top', line) || PAGE_NUMBER.test(line.text)) kept.shift();
      else break;
    }
    for (let i = 0; i < 2 && kept.length > 0; i++) {
      const line = kept[kept.length - 1];
      if (running('bottom', line) || PAGE_NUMBER.test(line.text)) kept.pop();
      else break;
    }
    return kept;
  });
}

// ---------------------------------------------------------------- statistics

/**
 * The distance between baselines inside a paragraph, per font size: the
 * smallest distance common among consecutive lines of that size (paragraph
 * gaps are larger, and rarer than lines).
 */
function lineSpacings(pages: readonly Line[][], bodySize: number): (size: number) => number {
  const bySize = new Map<number, Map<number, number>>();
  for (const lines of pages) {
    for (let i = 1; i < lines.length; i++) {
      const a = lines[i - 1];
      const b = lines[i];
      if (Math.abs(a.size - b.size) > 0.05 * a.size) continue;
      const distance = b.y - a.y;
      if (distance < 0.9 * a.size || distance > 3 * a.size) continue;
      const sizeKey = Math.round(a.size * 2) / 2;
      const counts = bySize.get(sizeKey) ?? new Map<number, number>();
      const key = Math.round(distance * 4) / 4;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      bySize.set(sizeKey, counts);
    }
  }
  const spacing = new Map<number, number>();
  for (const [sizeKey, counts] of bySize) {
    const most = Math.max(...counts.values());
    const common = [...counts].filter(([, count]) => count >= Math.max(2, 0.25 * most)).map(([distance]) => distance);
    if (common.length > 0) spacing.set(sizeKey, Math.min(...common));
  }
  // A size seen too rarely to tell its leading gets the body text's, in proportion (a gap between two lines is no leading).
  const bodyLeading = (spacing.get(Math.round(bodySize * 2) / 2) ?? 1.2 * bodySize) / bodySize;
  return (size) => spacing.get(Math.round(size * 2) / 2) ?? bodyLeading * size;
}

/** How often each word (lower-cased, hyphens as U+002D) occurs inside lines: the document's own evidence for a hyphen at a line end. */
function vocabularyOf(lines: readonly Line[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const match of line.text.matchAll(WORD)) {
      const word = match[0].toLowerCase().replace(/\u2010/gu, '-');
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * A document whose line-end hyphens include U+2010 or a soft hyphen, and that
 * uses U+2010 nowhere else, marks the hyphens of its own breaks: its line-end
 * hyphen-minus is a real one.
 */
function marksItsBreakHyphens(lines: readonly Line[]): boolean {
  let marked = false;
  for (const line of lines) {
    const inside = line.text.slice(0, -1);
    if (inside.includes('\u2010')) return false;
    if (/[\u2010\u00AD]$/u.test(line.text)) marked = true;
  }
  return marked;
}

// ---------------------------------------------------------------- paragraphs on a page

function startsWithNoteMarker(line: Line): boolean {
  return line.raisedStart || NOTE_SYMBOL.test(line.text);
}

/**
 * Footnotes: the lines below the page's last line of body text that are set
 * smaller than the body, from the first one that opens with a note marker (a
 * superscript, `*`, `†`).
 */
function footnoteStart(lines: readonly Line[], bodySize: number): number {
  let lastBody = -1;
  lines.forEach((line, i) => {
    if (line.size >= 0.92 * bodySize) lastBody = i;
  });
  if (lastBody < 0) return lines.length;
  for (let i = lastBody + 1; i < lines.length; i++) {
    if (startsWithNoteMarker(lines[i])) return i;
  }
  return lines.length;
}

/**
 * The body lines of a page without the superscript reference marks of its
 * footnotes (`forum¹,` → `forum,`): a reader quoting the sentence leaves them
 * out. Only raised marks that open one of the page's footnotes are dropped, so
 * an exponent or an ordinal stays.
 */
function withoutNoteReferences(lines: readonly Line[], notesFrom: number): Line[] {
  const marks = new Set(
    lines
      .slice(notesFrom)
      .filter((line) => line.raisedStart)
      .map((line) => line.parts[0].text.trim()),
  );
  if (marks.size === 0) return [...lines];
  return lines.map((line, i) => {
    if (i >= notesFrom) return line;
    const parts = line.parts.filter((part, k) => k === 0 || !(part.raised && marks.has(part.text.trim())));
    if (parts.length === line.parts.length) return line;
    const text = textOf(parts);
    return { ...line, parts, text };
  });
}

/** Whether `b`'s first word would have fitted at the end of `a`: then the line breaker did not break there, the author did. */
function nextWordFits(a: Line, b: Line, right: number): boolean {
  const room = right - a.x1;
  return room > 1.2 * b.firstChunkWidth + 0.3 * a.size;
}

/**
 * Whether the author, not the line breaker, ended line `a`: `b`'s first word
 * would have fitted — unless `b` reads on in lower case from a line that ends
 * mid-sentence, which a slightly wrong width estimate must not split.
 */
function breaksBefore(a: Line, b: Line, right: number): boolean {
  if (!nextWordFits(a, b, right)) return false;
  return !(/^\p{Ll}/u.test(b.text) && !/[.!?:;]['"’”)\]]*$/u.test(a.text));
}

/** The right edge of `a`'s column on its page: where most full lines of its size end (a long URL or code line sticking out does not move it). */
function columnRight(a: Line, pageLines: readonly Line[], paragraph: readonly Line[]): number {
  const same = pageLines.filter((line) => sameSize(line.size, a.size));
  // Too few lines of its size (a byline, a caption) tell no measure: the page's lines do.
  const page = quantile((same.length >= 3 ? same : pageLines).map((line) => line.x1), 0.9);
  // Inside a paragraph of several lines, its own lines tell its measure (a block quotation ends short of the page's).
  return paragraph.length >= 2 ? Math.min(page, Math.max(...paragraph.map((line) => line.x1))) : page;
}

function endsWithBreakHyphen(line: Line): boolean {
  return /[\p{L}\p{N}][-\u2010\u00AD]$/u.test(line.text);
}

/** Whether `b` opens a new paragraph after `a` (both on one page, `paragraph` the lines so far). */
function opensParagraph(a: Line, b: Line, paragraph: readonly Line[], pageLines: readonly Line[], context: Context): boolean {
  if (!sameSize(a.size, b.size)) return true;
  if (BULLET.test(b.text) || LEADERS.test(a.text)) return true;
  if (b.y - a.y > 1.15 * context.spacing(a.size)) return true;
  const tolerance = 0.5 * a.size;
  if (paragraph.length >= 2) {
    // From its second line on, a paragraph's lines share a left edge; an indent or outdent starts another.
    if (Math.abs(b.x0 - paragraph[1].x0) > tolerance) return true;
  } else if (b.x0 > a.x0 + tolerance && Math.abs(b.x0 - a.textX) > tolerance) {
    // An indent after a paragraph's first line, unless it is the hanging indent of a list item's text.
    return true;
  }
  return !endsWithBreakHyphen(a) && breaksBefore(a, b, columnRight(a, pageLines, paragraph));
}

function paragraphsOfPage(lines: readonly Line[], notesFrom: number, context: Context): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Line[] = [];
  let inNotes = false;
  lines.forEach((line, i) => {
    const note = i >= notesFrom;
    const previous = current[current.length - 1];
    const opens =
      !previous ||
      note !== inNotes ||
      (note && startsWithNoteMarker(line)) ||
      opensParagraph(previous, line, current, lines, context);
    if (opens && current.length > 0) paragraphs.push({ lines: current, footnote: inNotes });
    if (opens) current = [];
    current.push(line);
    inNotes = note;
  });
  if (current.length > 0) paragraphs.push({ lines: current, footnote: inNotes });
  return paragraphs;
}

// ---------------------------------------------------------------- across pages

/** Where the leftmost line of body text on a page starts. */
function leftmost(lines: readonly Line[], bodySize: number): number {
  const body = lines.filter((line) => sameSize(line.size, bodySize));
  return Math.min(...(body.length > 0 ? body : lines).map((line) => line.x0));
}

/**
 * Each page's left margin: the leftmost start of body text that most pages of
 * its side (recto or verso: a two-sided layout shifts them) share, or else
 * most pages share, or its own when no other page agrees — so the last page of a list, all of whose lines are
 * indented, is measured against the margin, not against its own indent.
 */
function pageMargins(linesByPage: readonly Line[][], bodySize: number): number[] {
  const own = linesByPage.map((lines) => (lines.length > 0 ? leftmost(lines, bodySize) : NaN));
  const bySide = [new Map<number, number>(), new Map<number, number>()];
  const all = new Map<number, number>();
  own.forEach((x, page) => {
    if (Number.isNaN(x)) return;
    const key = Math.round(x);
    bySide[page % 2].set(key, (bySide[page % 2].get(key) ?? 0) + 1);
    all.set(key, (all.get(key) ?? 0) + 1);
  });
  const agreed = (counts: ReadonlyMap<number, number>): number | undefined => {
    const key = argMax(counts);
    return key !== undefined && (counts.get(key) ?? 0) >= 2 ? key : undefined;
  };
  const anySide = agreed(all);
  const common = bySide.map((counts) => agreed(counts) ?? anySide);
  return own.map((x, page) => {
    const shared = common[page % 2];
    return shared !== undefined && Math.abs(shared - x) > 1 ? Math.min(x, shared) : x;
  });
}

/** Where the lines after a paragraph's first stand, relative to the page margin. */
function continuationOffset(paragraph: readonly Line[], margin: number): number {
  if (paragraph.length >= 2) return paragraph[1].x0 - margin;
  const first = paragraph[0];
  if (first.textX !== first.x0) return first.textX - margin;
  // A first line indented from the margin is followed by lines at the margin.
  return first.x0 - margin > 0.5 * first.size ? 0 : first.x0 - margin;
}

/**
 * Whether the last body paragraph of one page runs on into the first of the
 * next: same size, `b` not indented against the paragraph's lines and no list
 * item, the page not ended early, and `a` full — a word hyphenated across the
 * break, or no author's break before `b` (`breaksBefore`).
 */
function runsOn(
  paragraph: readonly Line[],
  pageLines: readonly Line[],
  next: readonly Line[],
  context: Context,
): boolean {
  const a = paragraph[paragraph.length - 1];
  const b = next[0];
  if (!sameSize(a.size, b.size) || BULLET.test(b.text)) return false;
  const tolerance = 0.5 * a.size;
  // A first line indented (or outdented) against the lines after it opens its paragraph.
  if (next.length >= 2 && Math.abs(b.x0 - next[1].x0) > tolerance) return false;
  const here = continuationOffset(paragraph, context.margins[a.page]);
  const there = b.x0 - context.margins[b.page];
  if (Math.abs(there - here) > tolerance) return false;
  const lowest = pageLines[pageLines.length - 1].y;
  if (lowest < context.typicalBottom - 3 * context.spacing(context.bodySize)) return false;
  if (endsWithBreakHyphen(a)) return true;
  return !breaksBefore(a, b, columnRight(a, pageLines, paragraph));
}

// ---------------------------------------------------------------- joining lines

/**
 * How line `b` joins the text before it (which ends with line `a`'s text):
 * what to cut from the end of that text and the glue to put between.
 *
 * A hyphen at a line end, after a letter and before a letter:
 * 1. a soft hyphen is a break: the word is joined;
 * 2. the document's own evidence decides when it has some: the word occurring
 *    elsewhere joined (`noncommercially`) or hyphenated (`well-known`), the more
 *    frequent form wins; failing that, how it writes other words that begin with
 *    the part before (`non-resident` twice and no `non…` word makes
 *    `non-` / `resistance` a compound);
 * 3. otherwise the hyphen stays when the part after is capitalised and the part
 *    before ends lower-case (`anti-Taliban`) or the part after is a capitalised
 *    word (`MGIMO-University`; not `ELE-` / `MENT`), when the part before is itself
 *    hyphenated (`state-of-` / `the-art`), and when the line after starts with
 *    `and` or `or` (a suspended hyphen: `pre- and post-war`, with its space);
 * 4. in a document that marks its break hyphens (`breakHyphensMarked`), U+2010
 *    is a break and U+002D stays;
 * 5. otherwise the word is joined: in typeset text a hyphen at a line end is far
 *    more often a break than a compound's own hyphen.
 * A list of prefixes (`non-`, `self-`) is no rule: TeX breaks at morpheme
 * boundaries, so `non-` / `commercially` in libtasn1.pdf is `noncommercially`.
 * A dash at a line end after a letter joins without a space (`word—word`), and
 * so does an underscore inside an identifier.
 */
/**
 * Whether the document writes words that begin with `before` (three letters or
 * more) hyphenated after it (`non-resident`) more often than joined to the rest
 * of a word at least three letters longer (`noncommercially`; `none` is no such
 * word).
 */
function prefixHyphenated(before: string, vocabulary: ReadonlyMap<string, number>): boolean {
  const stem = before.toLowerCase().replace(/\u2010/gu, '-');
  if (stem.length < 3) return false;
  let hyphenated = 0;
  let joined = 0;
  for (const [word, count] of vocabulary) {
    if (!word.startsWith(stem)) continue;
    const rest = word.slice(stem.length);
    if (rest.startsWith('-') && rest.length > 1) hyphenated += count;
    else if (/^\p{L}{3}/u.test(rest)) joined += count;
  }
  return hyphenated > joined;
}

function joinLines(a: string, b: string, context: Context): { cut: number; glue: string } {
  if (a.endsWith('\u00AD')) return { cut: 1, glue: '' };
  const hyphen = /([\p{L}\p{M}\p{N}]+(?:[-\u2010][\p{L}\p{M}\p{N}]+)*)([-\u2010])$/u.exec(a);
  if (hyphen) {
    const before = hyphen[1];
    const mark = hyphen[2];
    const afterMatch = /^[\p{L}\p{M}\p{N}]+(?:[-\u2010][\p{L}\p{M}\p{N}]+)*/u.exec(b);
    if (!afterMatch || !/^\p{L}/u.test(afterMatch[0]) || !/\p{L}$/u.test(before)) return { cut: 0, glue: '' };
    const after = afterMatch[0];
    const joined = context.vocabulary.get((before + after).toLowerCase().replace(/\u2010/gu, '-')) ?? 0;
    const hyphenated = context.vocabulary.get(`${before}-${after}`.toLowerCase().replace(/\u2010/gu, '-')) ?? 0;
    if (joined !== hyphenated) return joined > hyphenated ? { cut: 1, glue: '' } : { cut: 0, glue: '' };
    if (prefixHyphenated(before, context.vocabulary)) return { cut: 0, glue: '' };
    if (/^(?:and|or)$/u.test(after) && /^(?:and|or)\s/u.test(b)) return { cut: 0, glue: ' ' };
    if ((/^\p{Lu}/u.test(after) && /\p{Ll}$/u.test(before)) || /^\p{Lu}\p{Ll}/u.test(after)) return { cut: 0, glue: '' };
    if (/[-\u2010]/u.test(before)) return { cut: 0, glue: '' };
    if (context.breakHyphensMarked) return mark === '\u2010' ? { cut: 1, glue: '' } : { cut: 0, glue: '' };
    return { cut: 1, glue: '' };
  }
  if (/[\p{L}\p{N}][—–]$/u.test(a)) return { cut: 0, glue: '' };
  // An identifier broken after an underscore (`ASN1_MAX_` / `NAME_SIZE`), as Texinfo allows in code.
  if (/[\p{L}\p{N}]_$/u.test(a) && /^[\p{L}\p{N}_]/u.test(b)) return { cut: 0, glue: '' };
  return { cut: 0, glue: ' ' };
}

// ---------------------------------------------------------------- assembly

function assemble(
  pages: readonly PdfPageText[],
  linesByPage: readonly Line[][],
  paragraphsByPage: readonly Paragraph[][],
  context: Context,
): LaidOutText {
  const out: Piece[][] = [];
  let open: Piece[] | undefined;
  let openLast: Line | undefined;
  let deferredNotes: Paragraph[] = [];

  const append = (pieces: Piece[], paragraph: Paragraph, page: number, continuing: Line | undefined): void => {
    let last = continuing;
    for (const line of paragraph.lines) {
      const tail = pieces[pieces.length - 1];
      if (!last) {
        pieces.push({ page, glue: '', text: line.text });
      } else {
        const { cut, glue } = joinLines(tail.text.length > 0 ? tail.text : last.text, line.text, context);
        tail.text = tail.text.slice(0, tail.text.length - cut);
        if (tail.page === page) tail.text += glue + line.text;
        else pieces.push({ page, glue, text: line.text });
      }
      last = line;
    }
  };
  const emit = (paragraph: Paragraph, page: number): void => {
    const pieces: Piece[] = [];
    append(pieces, paragraph, page, undefined);
    out.push(pieces);
  };
  const close = (page: number): void => {
    if (open) out.push(open);
    open = undefined;
    openLast = undefined;
    for (const note of deferredNotes) emit(note, page);
    deferredNotes = [];
  };

  // Whether the last body paragraph of page i runs on to the next page with body text.
  const runsOnFrom = paragraphsByPage.map((paragraphs, i) => {
    const body = paragraphs.filter((paragraph) => !paragraph.footnote);
    const last = body[body.length - 1];
    if (!last) return false;
    const first = paragraphsByPage
      .slice(i + 1)
      .flat()
      .find((paragraph) => !paragraph.footnote);
    return first !== undefined && runsOn(last.lines, linesByPage[i], first.lines, context);
  });

  paragraphsByPage.forEach((paragraphs, page) => {
    const body = paragraphs.filter((paragraph) => !paragraph.footnote);
    const notes = paragraphs.filter((paragraph) => paragraph.footnote);
    let notesPlaced = notes.length === 0;
    body.forEach((paragraph, k) => {
      const continued = k === 0 ? open : undefined;
      const continues = continued !== undefined;
      const runsOver = k === body.length - 1 && runsOnFrom[page];
      if (!continues && open) close(page);
      // A page's notes go before the paragraph that runs over to the next page, so they stay inside this page's span.
      if (runsOver && !continues && !notesPlaced) {
        for (const note of notes) emit(note, page);
        notesPlaced = true;
      }
      const pieces = continued ?? [];
      append(pieces, paragraph, page, continues ? openLast : undefined);
      open = pieces;
      openLast = paragraph.lines[paragraph.lines.length - 1];
      if (!runsOver) close(page);
    });
    if (!notesPlaced) {
      // A page that is all the middle of one paragraph: its notes follow that paragraph, where it ends.
      if (open) deferredNotes.push(...notes);
      else for (const note of notes) emit(note, page);
    }
  });
  if (open) close(pages.length - 1);
  for (const note of deferredNotes) emit(note, pages.length - 1);

  return spans(pages, out);
}

/** Joins the paragraphs into text and measures each page's span in it. */
function spans(pages: readonly PdfPageText[], paragraphs: readonly Piece[][]): LaidOutText {
  const starts: (number | undefined)[] = pages.map(() => undefined);
  const ends: (number | undefined)[] = pages.map(() => undefined);
  let text = '';
  for (const pieces of paragraphs) {
    const paragraph = pieces.map((piece) => piece.glue + piece.text).join('');
    if (!/\S/u.test(paragraph)) continue;
    if (text !== '') text += '\n\n';
    for (const piece of pieces) {
      text += piece.glue;
      if (piece.text === '') continue;
      starts[piece.page] ??= text.length;
      text += piece.text;
      ends[piece.page] = text.length;
    }
  }
  let position = 0;
  const result: PageSpan[] = pages.map((page, i) => {
    const start = starts[i] ?? position;
    const end = ends[i] ?? start;
    position = end;
    return { label: page.label, start, end };
  });
  return { text, pages: result };
}
