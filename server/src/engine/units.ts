/**
 * A note split into units that can be checked on their own: runs of lines
 * between blank lines. Checking unit by unit lets an edit re-check only the
 * unit it touched, while every other unit's result comes from a cache.
 *
 * A unit boundary is a blank line followed by a line that starts at column 0,
 * outside fenced code and front matter: so an indented continuation (a list
 * item's second paragraph, indented code) stays with what it continues. A
 * footnote definition (`[^a]:` at column 0) starts a unit of its own even
 * without a blank line before it, since it ends whatever block was open. A
 * one-line attribution right after a blockquote stays with the blockquote.
 *
 * A unit that refers to footnotes is checked with the definitions of those
 * footnotes appended (a reference is only read as one when its definition is
 * in the same text), found through a label → definition map built once per
 * note: so a unit's checked text, and its cache key, hold only the
 * definitions it uses. A footnote's definition belongs to the first unit that
 * refers to it: it is read and reported there, and is no unit of its own; any
 * other unit that refers to it borrows it, reading only its citations. A
 * definition nothing refers to is a unit of its own.
 */

/** Where a piece of checked text stands in the note. */
export interface Placed {
  /** Offset in the note. */
  start: number;
  /** 0-based line the piece starts on. */
  line: number;
  /** Character on that line where the piece starts (0 unless a giant line was cut). */
  character: number;
}

/** A footnote definition appended to a unit: where it lies in the checked text, and where it stands in the note. */
export interface AppendedDefinition extends Placed {
  /** Offset in the checked text (the unit's text followed by its context). */
  at: number;
  /** Offset just past it in the checked text. */
  endAt: number;
  /** Line in the checked text. */
  atLine: number;
  /** Its last line in the checked text. */
  lastAtLine: number;
  /** Whether the unit owns it (reads and reports all of it), or borrows it for its citations. */
  owned: boolean;
}

export interface Unit extends Placed {
  /** Offset just past the unit in the note. */
  end: number;
  /** Text appended when checking the unit (the definitions of the footnotes it refers to), after the unit's own. */
  context: string;
  /** The definitions in `context`, in order: results that lie in them map back to the note through these. */
  appended: readonly AppendedDefinition[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/u;
const HTML_OPENERS: [RegExp, RegExp][] = [
  [/<!--/u, /-->/u],
  [/^ {0,3}<(?:pre|script|style|textarea)(?:\s|>|$)/iu, /<\/(?:pre|script|style|textarea)>/iu],
];
/** A line that may open an HTML block, which runs to the next blank line and holds `[^a]:` lines as raw HTML. */
const HTML_BLOCK_LINE = /^ {0,3}</u;
const FOOTNOTE_DEFINITION = /^\[\^[^\]\s]+\]:/u;
const ATTRIBUTION_LINE = /^\s*(?:(?:--|[—–―])[^\n]{0,160}@|\[-?@)/u;

/** A footnote label as markdown compares them (case-insensitively, as micromark normalises identifiers). */
function footnoteLabel(label: string): string {
  return label.toLowerCase().toUpperCase();
}

interface Line {
  start: number;
  /** Offset just past the line's text (before its line ending). */
  end: number;
  text: string;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\n|\r/gu;
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = breaks.exec(text)) !== null) {
    lines.push({ start, end: match.index, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length, text: text.slice(start) });
  return lines;
}

/** A unit before its context is known, with the lines it spans. */
interface Piece extends Placed {
  end: number;
  lastLine: number;
}

export function splitUnits(text: string): Unit[] {
  const lines = linesOf(text);
  const groups: { first: number; last: number }[] = [];
  let fence: string | undefined;
  let inFrontMatter = /^(---|\+\+\+)\s*$/u.test(lines[0]?.text ?? '');
  let current: { first: number; last: number } | undefined;
  let blankBefore = false;
  // HTML that runs across blank lines (a comment, <pre>, <script>, <style>, <textarea>) is one block.
  let htmlUntil: RegExp | undefined;
  let htmlInGroup = false;
  lines.forEach((line, i) => {
    const blank = line.text.trim() === '';
    const outside = !fence && !inFrontMatter && !htmlUntil;
    const opensBlock = !blank && outside && blankBefore && !/^\s/u.test(line.text);
    const opensDefinition = outside && !htmlInGroup && FOOTNOTE_DEFINITION.test(line.text);
    if (!blank && (current === undefined || opensBlock || opensDefinition)) {
      current = { first: i, last: i };
      groups.push(current);
      htmlInGroup = false;
    } else if (!blank && current) {
      current.last = i;
    }
    if (outside && !blank && HTML_BLOCK_LINE.test(line.text)) htmlInGroup = true;
    if (inFrontMatter && i > 0 && /^(---|\+\+\+|\.\.\.)\s*$/u.test(line.text)) inFrontMatter = false;
    const fenceMark = FENCE.exec(line.text)?.[1];
    if (fenceMark && !inFrontMatter) {
      if (!fence) fence = fenceMark[0];
      else if (fenceMark[0] === fence) fence = undefined;
    }
    if (htmlUntil) {
      if (htmlUntil.test(line.text)) htmlUntil = undefined;
    } else if (!fence && !inFrontMatter) {
      const opened = HTML_OPENERS.find(([open]) => open.test(line.text));
      if (opened && !opened[1].test(line.text.slice((opened[0].exec(line.text)?.index ?? 0) + 4))) htmlUntil = opened[1];
    }
    blankBefore = blank && !fence && !inFrontMatter && !htmlUntil;
  });

  // A blockquote and the attribution line after it are read together.
  const merged: { first: number; last: number }[] = [];
  for (const group of groups) {
    const previous = merged[merged.length - 1];
    const isAttribution = group.first === group.last && ATTRIBUTION_LINE.test(lines[group.first].text);
    if (previous && isAttribution && /^\s{0,3}>/u.test(lines[previous.first].text)) previous.last = group.last;
    else merged.push({ ...group });
  }

  const pieces = merged.flatMap((g): Piece[] => {
    const piece = { start: lines[g.first].start, end: lines[g.last].end, line: g.first, character: 0, lastLine: g.last };
    return piece.end - piece.start > MAX_UNIT ? cut(piece, lines) : [piece];
  });
  return withFootnotes(text, pieces);
}

/** The footnote labels a piece defines and refers to, normalised. */
interface FootnoteLabels {
  defines: string[];
  refersTo: string[];
}

/** Characters that may stand before a definition's `[^` on its line: indentation and container marks (`>`, `-`, `1.`). */
const CONTAINER_MARK = /[ \t>*+\-0-9.)]/u;

/**
 * Finds `[^label]` as micromark reads a footnote label (no white space or `[`,
 * `\[` `\]` `\\` escaped, at most 999 characters), in one pass: one followed
 * by `:` with only container marks before it on its line may be a definition.
 */
function footnoteLabels(pieceText: string): FootnoteLabels {
  const found: FootnoteLabels = { defines: [], refersTo: [] };
  let at = pieceText.indexOf('[^');
  while (at >= 0) {
    let end = at + 2;
    while (end < pieceText.length && end - at <= 1001) {
      const ch = pieceText[end];
      if (ch === ']' || ch === '[' || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') break;
      end += ch === '\\' && '[]\\'.includes(pieceText[end + 1] ?? '') ? 2 : 1;
    }
    if (pieceText[end] === ']' && end > at + 2 && end - at <= 1001) {
      const label = footnoteLabel(pieceText.slice(at + 2, end));
      // What looks like a definition may be a reference after all (`2021.[^a]:` is no list item), so it counts as both.
      found.refersTo.push(label);
      if (pieceText[end + 1] === ':' && onlyContainerMarksBefore(pieceText, at)) found.defines.push(label);
    }
    at = pieceText.indexOf('[^', Math.max(end, at + 2));
  }
  return found;
}

function onlyContainerMarksBefore(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return true;
    if (!CONTAINER_MARK.test(ch)) return false;
  }
  return true;
}

/**
 * Gives each piece the definitions of the footnotes it refers to. Every piece
 * that may define a label is kept for it, in note order: a look-alike (in
 * code, say) only adds text that reads as what it is, while the note's real
 * definition is never missed, and the first one wins as in the whole note.
 */
function withFootnotes(text: string, pieces: readonly Piece[]): Unit[] {
  const texts = pieces.map((piece) => text.slice(piece.start, piece.end));
  const labels = texts.map((pieceText) => (pieceText.includes('[^') ? footnoteLabels(pieceText) : undefined));
  const definers = new Map<string, number[]>();
  labels.forEach((found, index) => {
    for (const label of found?.defines ?? []) {
      const list = definers.get(label);
      if (!list) definers.set(label, [index]);
      else if (list[list.length - 1] !== index) list.push(index);
    }
  });
  const unitOf = (index: number, context: string, appended: AppendedDefinition[]): Unit => {
    const piece = pieces[index];
    return { start: piece.start, end: piece.end, line: piece.line, character: piece.character, context, appended };
  };
  if (definers.size === 0) return pieces.map((_, index) => unitOf(index, '', []));

  // The pieces that define what each piece refers to (not itself).
  const uses = labels.map((found, index): number[] => {
    if (!found || found.refersTo.length === 0) return [];
    const definitions = new Set<number>();
    for (const label of found.refersTo) for (const definer of definers.get(label) ?? []) if (definer !== index) definitions.add(definer);
    return [...definitions];
  });
  // A definition belongs to the first piece, itself no definition, that refers to it.
  const isDefinition = texts.map((pieceText) => FOOTNOTE_DEFINITION.test(pieceText));
  const owner = pieces.map(() => -1);
  uses.forEach((definitions, index) => {
    if (isDefinition[index]) return;
    for (const d of definitions) if (isDefinition[d] && owner[d] < 0) owner[d] = index;
  });
  const owned = new Map<number, number[]>();
  owner.forEach((o, d) => {
    if (o < 0) return;
    const list = owned.get(o);
    if (list) list.push(d);
    else owned.set(o, [d]);
  });

  const units: Unit[] = [];
  pieces.forEach((piece, index) => {
    if (owner[index] >= 0) return;
    const mine = owned.get(index) ?? [];
    if (mine.length === 0 && uses[index].length === 0) {
      units.push(unitOf(index, '', []));
      return;
    }
    // What the unit's own definitions refer to is appended too, so their references read as in the note.
    const appended = new Set([...mine, ...uses[index], ...mine.flatMap((d) => uses[d])]);
    appended.delete(index);
    const definitions: AppendedDefinition[] = [];
    let context = '';
    let at = piece.end - piece.start;
    let atLine = piece.lastLine - piece.line;
    for (const definer of [...appended].sort((a, b) => a - b)) {
      const definition = pieces[definer];
      // Two line breaks: each definition is a block of its own, as it is in the note.
      at += 2;
      atLine += 2;
      const endAt = at + definition.end - definition.start;
      const lastAtLine = atLine + definition.lastLine - definition.line;
      const { start, line, character } = definition;
      definitions.push({ start, line, character, at, endAt, atLine, lastAtLine, owned: owner[definer] === index });
      context += `\n\n${texts[definer]}`;
      at = endAt;
      atLine = lastAtLine;
    }
    units.push(unitOf(index, context, definitions));
  });
  return units;
}

/**
 * Markdown parsing slows more than linearly on a giant paragraph full of
 * brackets, so no unit is checked whole beyond this size: a longer block is
 * cut at line ends, and a longer line at a space. Nothing a writer types by
 * hand comes near it; a quotation or citation straddling a cut is read as two
 * halves.
 */
const MAX_UNIT = 32_000;

function cut(piece: Piece, lines: readonly Line[]): Piece[] {
  const pieces: Piece[] = [];
  let pieceStart = piece.start;
  let pieceLine = piece.line;
  let pieceCharacter = 0;
  const push = (end: number, endLine: number, nextStart: number, nextLine: number, nextCharacter: number): void => {
    if (end > pieceStart) pieces.push({ start: pieceStart, end, line: pieceLine, character: pieceCharacter, lastLine: endLine });
    pieceStart = nextStart;
    pieceLine = nextLine;
    pieceCharacter = nextCharacter;
  };
  for (let l = piece.line; l <= piece.lastLine; l++) {
    const line = lines[l];
    // A line that would overflow the piece starts a new one.
    if (line.end - pieceStart > MAX_UNIT && line.start > pieceStart) push(lines[l - 1].end, l - 1, line.start, l, 0);
    // A giant line is cut at spaces.
    while (line.end - pieceStart > MAX_UNIT) {
      const limit = pieceStart + MAX_UNIT;
      const space = line.text.lastIndexOf(' ', limit - line.start);
      const at = space > pieceStart - line.start ? line.start + space + 1 : limit;
      push(at, l, at, l, at - line.start);
    }
  }
  push(piece.end, piece.lastLine, piece.end, piece.lastLine, 0);
  return pieces;
}
