import type { Nodes, Parents } from 'mdast';
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
    // Everything else is one placeholder: HTML, images, footnote references, and whole blocks.
    case 'html':
    case 'image':
    case 'imageReference':
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
