import type { Heading, Nodes, Paragraph, Parents } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { visit } from 'unist-util-visit';
import { MappedText, MappedTextBuilder } from '../text/mapped-text.js';

/** Stands in for inline code, HTML and images: never part of a quotation or citation. */
export const PLACEHOLDER = '\uFFFC';

/**
 * The prose of one block (paragraph, heading, table cell) with markdown syntax
 * removed: emphasis markers, link destinations, escapes. Code spans, inline
 * HTML and images become a placeholder so nothing inside them is read as a
 * quotation or citation.
 */
export function proseOf(block: Parents, document: string, options: ProseOptions = {}): MappedText {
  const builder = new MappedTextBuilder();
  appendChildren(block, document, builder, options);
  return builder.build();
}

export interface ProseOptions {
  /** In a source, a code span is part of what the author wrote and may be quoted: keep its text. */
  codeAsText?: boolean;
  /**
   * In a note, an image's alt text is prose (Pandoc makes it the figure's
   * caption, and reads the citations in it); elsewhere an image is a placeholder.
   */
  altText?: boolean;
}

const fragmentParser = unified().use(remarkParse).use(remarkGfm);

/**
 * The first paragraph or heading of `document` between `start` and `end`,
 * read as markdown of its own, every position in `document`'s offsets: for
 * prose that the note's parse kept as one piece (an image's alt text, the
 * text after an HTML comment on its line).
 */
export function parseFragment(document: string, start: number, end: number): Paragraph | Heading | undefined {
  const tree = fragmentParser.parse(document.slice(start, end));
  visit(tree, (node) => {
    if (node.position) {
      node.position.start.offset = (node.position.start.offset ?? 0) + start;
      node.position.end.offset = (node.position.end.offset ?? 0) + start;
    }
  });
  return tree.children.find((node): node is Paragraph | Heading => node.type === 'paragraph' || node.type === 'heading');
}

/**
 * Gives a position to each node the parser left without one. GFM's autolink
 * literals can leave a link and the text around it unplaced (`[@{https://…}]`),
 * which would put their prose at the top of the document; each is found in
 * the document after its previous sibling instead.
 */
export function placeUnplacedNodes(parent: Parents, document: string): void {
  let cursor = parent.position?.start.offset ?? 0;
  const limit = parent.position?.end.offset ?? document.length;
  for (const child of parent.children) {
    if (child.position?.start.offset !== undefined && child.position.end.offset !== undefined) {
      if ('children' in child) placeUnplacedNodes(child, document);
      cursor = child.position.end.offset;
      continue;
    }
    let start: number | undefined;
    let end: number | undefined;
    if (child.type === 'text') {
      const at = document.indexOf(child.value, cursor);
      if (at >= 0 && at + child.value.length <= limit) [start, end] = [at, at + child.value.length];
    } else if ('children' in child) {
      child.position = { start: { line: 0, column: 0, offset: cursor }, end: { line: 0, column: 0, offset: limit } };
      placeUnplacedNodes(child, document);
      start = child.children[0]?.position?.start.offset;
      end = child.children[child.children.length - 1]?.position?.end.offset;
    }
    if (start === undefined || end === undefined) {
      delete child.position;
      continue;
    }
    child.position = { start: { line: 0, column: 0, offset: start }, end: { line: 0, column: 0, offset: end } };
    cursor = end;
  }
}

/** Where an image's alt text ends: the `]` that closes `![`, past escapes and nested brackets. */
function altTextEnd(document: string, open: number, end: number): number | undefined {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const ch = document[i];
    if (ch === '\\') i++;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return undefined;
}

function appendChildren(parent: Parents, document: string, builder: MappedTextBuilder, options: ProseOptions): void {
  for (const child of parent.children) appendNode(child, document, builder, options);
}

function appendNode(node: Nodes, document: string, builder: MappedTextBuilder, options: ProseOptions): void {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  switch (node.type) {
    case 'text':
      builder.appendAligned(node.value, document.slice(start, end), start);
      return;
    case 'break':
      builder.appendPlaceholder('\n', start, end);
      return;
    case 'inlineCode':
      if (!options.codeAsText) break;
      builder.appendAligned(node.value, document.slice(start, end), start);
      return;
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'link':
    case 'linkReference':
      appendChildren(node, document, builder, options);
      return;
    case 'image':
    case 'imageReference': {
      const altEnd = options.altText ? altTextEnd(document, start + 1, end) : undefined;
      const alt = altEnd === undefined ? undefined : parseFragment(document, start + 2, altEnd);
      if (!alt) break;
      builder.appendPlaceholder(PLACEHOLDER, start, start + 2);
      appendChildren(alt, document, builder, options);
      builder.appendPlaceholder(PLACEHOLDER, altEnd ?? end, end);
      return;
    }
    // Everything else is one placeholder: HTML, footnote references, and whole blocks.
    case 'html':
    case 'footnoteReference':
    case 'footnoteDefinition':
    case 'definition':
    case 'root':
    case 'paragraph':
    case 'heading':
    case 'blockquote':
    case 'list':
    case 'listItem':
    case 'code':
    case 'table':
    case 'tableRow':
    case 'tableCell':
    case 'thematicBreak':
    case 'yaml':
      break;
  }
  builder.appendPlaceholder(PLACEHOLDER, start, end);
}
