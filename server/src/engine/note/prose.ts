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
export function proseOf(block: Parents, document: string): MappedText {
  const builder = new MappedTextBuilder();
  appendChildren(block, document, builder);
  return builder.build();
}

function appendChildren(parent: Parents, document: string, builder: MappedTextBuilder): void {
  for (const child of parent.children) appendNode(child, document, builder);
}

function appendNode(node: Nodes, document: string, builder: MappedTextBuilder): void {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  switch (node.type) {
    case 'text':
      builder.appendAligned(node.value, document.slice(start, end), start);
      return;
    case 'break':
      builder.appendPlaceholder('\n', start, end);
      return;
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'link':
    case 'linkReference':
      appendChildren(node, document, builder);
      return;
    default:
      builder.appendPlaceholder(PLACEHOLDER, start, end);
  }
}
