/**
 * A note split into units that can be checked on their own: runs of lines
 * between blank lines. Checking unit by unit lets an edit re-check only the
 * unit it touched, while every other unit's result comes from a cache.
 *
 * A unit boundary is a blank line followed by a line that starts at column 0,
 * outside fenced code and front matter: so an indented continuation (a list
 * item's second paragraph, indented code) stays with what it continues. A
 * one-line attribution right after a blockquote stays with the blockquote, and
 * a unit that refers to footnotes is checked with the note's footnote
 * definitions appended.
 */

export interface Unit {
  /** Offsets of the unit in the note. */
  start: number;
  end: number;
  /** 0-based line the unit starts on. */
  line: number;
  /** Character on that line where the unit starts (0 unless a giant line was cut). */
  character: number;
  /** Text appended when checking the unit (the note's footnote definitions), not part of the unit. */
  context: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/u;
const HTML_OPENERS: [RegExp, RegExp][] = [
  [/<!--/u, /-->/u],
  [/^ {0,3}<(?:pre|script|style|textarea)(?:\s|>|$)/iu, /<\/(?:pre|script|style|textarea)>/iu],
];
const FOOTNOTE_DEFINITION = /^\[\^[^\]\s]+\]:/u;
const ATTRIBUTION_LINE = /^\s*(?:(?:--|[—–―])[^\n]{0,160}@|\[-?@)/u;

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

export function splitUnits(text: string): Unit[] {
  const lines = linesOf(text);
  const groups: { first: number; last: number }[] = [];
  let fence: string | undefined;
  let inFrontMatter = /^(---|\+\+\+)\s*$/u.test(lines[0]?.text ?? '');
  let current: { first: number; last: number } | undefined;
  let blankBefore = false;
  // HTML that runs across blank lines (a comment, <pre>, <script>, <style>, <textarea>) is one block.
  let htmlUntil: RegExp | undefined;
  lines.forEach((line, i) => {
    const blank = line.text.trim() === '';
    const opensBlock = !blank && !fence && !inFrontMatter && !htmlUntil && blankBefore && !/^\s/u.test(line.text);
    if (!blank && (current === undefined || opensBlock)) {
      current = { first: i, last: i };
      groups.push(current);
    } else if (!blank && current) {
      current.last = i;
    }
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

  const definitions = merged.filter((g) => FOOTNOTE_DEFINITION.test(lines[g.first].text));
  const footnotes = definitions.map((g) => text.slice(lines[g.first].start, lines[g.last].end)).join('\n\n');
  return merged.flatMap((g) => {
    const start = lines[g.first].start;
    const end = lines[g.last].end;
    const refersToFootnotes = footnotes !== '' && !definitions.includes(g) && /\[\^[^\]\s]+\]/u.test(text.slice(start, end));
    const unit = { start, end, line: g.first, character: 0, context: refersToFootnotes ? `\n\n${footnotes}` : '' };
    return end - start > MAX_UNIT ? cut(unit, lines, g.first, g.last) : [unit];
  });
}

/**
 * Markdown parsing slows more than linearly on a giant paragraph full of
 * brackets, so no unit is checked whole beyond this size: a longer block is
 * cut at line ends, and a longer line at a space. Nothing a writer types by
 * hand comes near it; a quotation or citation straddling a cut is read as two
 * halves.
 */
const MAX_UNIT = 32_000;

function cut(unit: Unit, lines: readonly Line[], first: number, last: number): Unit[] {
  const pieces: Unit[] = [];
  let pieceStart = unit.start;
  let pieceLine = first;
  let pieceCharacter = 0;
  const push = (end: number, nextStart: number, nextLine: number, nextCharacter: number): void => {
    if (end > pieceStart) pieces.push({ start: pieceStart, end, line: pieceLine, character: pieceCharacter, context: unit.context });
    pieceStart = nextStart;
    pieceLine = nextLine;
    pieceCharacter = nextCharacter;
  };
  for (let l = first; l <= last; l++) {
    const line = lines[l];
    // A line that would overflow the piece starts a new one.
    if (line.end - pieceStart > MAX_UNIT && line.start > pieceStart) push(lines[l - 1].end, line.start, l, 0);
    // A giant line is cut at spaces.
    while (line.end - pieceStart > MAX_UNIT) {
      const limit = pieceStart + MAX_UNIT;
      const space = line.text.lastIndexOf(' ', limit - line.start);
      const at = space > pieceStart - line.start ? line.start + space + 1 : limit;
      push(at, at, l, at - line.start);
    }
  }
  push(unit.end, unit.end, last, 0);
  return pieces;
}
