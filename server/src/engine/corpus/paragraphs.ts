import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import { visit } from 'unist-util-visit';
import { MappedText } from '../text/mapped-text.js';
import { proseOf } from '../note/prose.js';

/** One numbered paragraph of a source: what a `¶ n` locator points at. */
export interface ParagraphText {
  /** 1-based paragraph number. */
  readonly number: number;
  /** Offsets of the paragraph in the source file. */
  readonly start: number;
  readonly end: number;
  /** The paragraph's prose. */
  readonly text: string;
  /** Where each unit of `text` stands in the file; absent when `text` is the file's own slice from `start`. */
  readonly map?: MappedText;
}

/** File offset of the prose position `index` (a token start). */
export function fileStart(paragraph: ParagraphText, index: number): number {
  return paragraph.map ? paragraph.map.documentStart(index) : paragraph.start + index;
}

/** File offset just past the prose position before `index` (a token end). */
export function fileEnd(paragraph: ParagraphText, index: number): number {
  return paragraph.map ? paragraph.map.documentEnd(index) : paragraph.start + index;
}

const NON_SPACE = /\S/;

/** Whether `text[from, to)` holds a non-white-space character (JavaScript `\S`), without slicing it. */
function hasNonSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c > 32 && c < 127) return true;
    if (c >= 127 && NON_SPACE.test(text[i])) return true;
  }
  return false;
}

/** The paragraphs of a plain-text source as offset pairs (no strings until asked for). */
export interface PlainTextLayout {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * Plain text: every line holding a non-white-space character (JavaScript `\S`,
 * so a line of only no-break spaces is blank) is one paragraph, numbered from 1
 * in file order; the title line is ¶ 1.
 */
export function plainTextLayout(text: string): PlainTextLayout {
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  // The next line feed and carriage return (n when none is left), found with indexOf rather than a loop over characters.
  const next = (ch: string, from: number): number => {
    const at = text.indexOf(ch, from);
    return at < 0 ? n : at;
  };
  let lf = next('\n', 0);
  let cr = next('\r', 0);
  for (let lineStart = 0; ; ) {
    if (lf < lineStart) lf = next('\n', lineStart);
    if (cr < lineStart) cr = next('\r', lineStart);
    const lineEnd = lf < cr ? lf : cr;
    if (hasNonSpace(text, lineStart, lineEnd)) {
      starts.push(lineStart);
      ends.push(lineEnd);
    }
    if (lineEnd >= n) break;
    lineStart = lineEnd + (lineEnd === cr && lf === lineEnd + 1 ? 2 : 1);
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

export function plainTextParagraphs(text: string, layout: PlainTextLayout = plainTextLayout(text)): ParagraphText[] {
  return Array.from(layout.starts, (_, i) => plainTextParagraph(text, layout, i));
}

/** Paragraph `p` (0-based) of a plain-text source, the same as `plainTextParagraphs(text)[p]`, with no other paragraph made. */
export function plainTextParagraph(text: string, layout: PlainTextLayout, p: number): ParagraphText {
  const start = layout.starts[p];
  const end = layout.ends[p];
  return { number: p + 1, start, end, text: text.slice(start, end) };
}

const markdownParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm);

/**
 * Markdown: each block — heading, paragraph (also inside a list item or a
 * blockquote) — is one paragraph, in document order.
 */
export function markdownParagraphs(text: string): ParagraphText[] {
  const tree = markdownParser.parse(text);
  const paragraphs: ParagraphText[] = [];
  visit(tree, (node) => {
    if (node.type !== 'paragraph' && node.type !== 'heading') return;
    const prose = proseOf(node, text, { codeAsText: true });
    if (NON_SPACE.test(prose.text)) {
      const start = prose.documentStart(0);
      const end = prose.documentEnd(prose.length);
      paragraphs.push({ number: paragraphs.length + 1, start, end, text: prose.text, map: prose });
    }
    return 'skip';
  });
  return paragraphs;
}
