/**
 * The block → paragraph walk shared by saved web pages (after Readability) and
 * Word files (after mammoth): a DOM tree becomes the paragraph lines of an
 * `ExtractedText`, the way a reader sees the blocks on screen.
 *
 * - Each block element (p, h1–h6, li, dt, dd, figcaption, table cell, div, …)
 *   ends the paragraph before it; a run of inline content between block
 *   boundaries is one paragraph (as a browser makes anonymous block boxes), so
 *   `<li>intro<ul>…</ul></li>` gives the intro and each nested item on its own.
 * - Inline markup is flattened; runs of HTML white space (space, tab, line
 *   feed, form feed, carriage return) become one space, as the browser collapses
 *   them; a no-break space is kept as it is (it is not collapsible), and
 *   paragraphs are trimmed. Text is kept in the form it arrived (NFC, no NFKC).
 * - One `<br>` is a line break inside the paragraph and becomes a space; two or
 *   more in a row (white space between them allowed) end the paragraph, as
 *   Readability reads them.
 * - Code blocks (`pre`) are not paragraphs and cannot be quoted, as in a
 *   markdown source; scripts, styles, forms, media and hidden elements give no
 *   text. Table cells are paragraphs (one per cell): pages and Word files lay
 *   prose out in tables, and dropping it would make real quotations unfindable.
 * - `<q>` gets the curly quotation marks a browser draws around it.
 *
 * It reads only the few DOM members named below, which linkedom's nodes have;
 * the project's TypeScript setup has no DOM library.
 */

export interface DomNode {
  readonly nodeType: number;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

export interface DomElement extends DomNode {
  readonly localName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/** Elements that start and end a block (HTML's block-level and table elements). */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'section', 'summary', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

/**
 * Elements whose content is never a paragraph: not shown as text (head,
 * scripts, media, form controls, ruby annotations, MathML's source
 * annotations), or code (`pre` and its obsolete kin), which is not prose.
 */
const SKIPPED = new Set([
  'head', 'title', 'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'canvas', 'svg', 'audio',
  'video', 'picture', 'img', 'select', 'option', 'datalist', 'textarea', 'input', 'button', 'rt', 'rp', 'annotation',
  'annotation-xml', 'pre', 'listing', 'xmp', 'plaintext',
]);

const CODE_BLOCKS = new Set(['pre', 'listing', 'xmp', 'plaintext']);

/** HTML's collapsible white space; `\u00a0` is not in it. */
const HTML_SPACE_RUN = /[\t\n\f\r ]+/g;
const HAS_INK = /[^\t\n\f\r ]/;
const EDGE_SPACE = /^\s+|\s+$/g;
const NON_SPACE = /\S/;

function isHidden(element: DomElement): boolean {
  if (element.hasAttribute('hidden')) return true;
  if (element.getAttribute('aria-hidden') === 'true') return true;
  const style = element.getAttribute('style');
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i.test(style);
}

/** Collects inline text into paragraphs; one per walk, so nothing is shared between documents. */
class ParagraphWriter {
  readonly paragraphs: string[] = [];
  private parts: string[] = [];
  /** `<br>`s since the last visible text. */
  private breaks = 0;

  text(value: string): void {
    if (HAS_INK.test(value)) {
      if (this.breaks >= 2) this.end();
      else if (this.breaks === 1) this.parts.push(' ');
      this.breaks = 0;
    }
    this.parts.push(value);
  }

  lineBreak(): void {
    this.breaks++;
  }

  end(): void {
    const paragraph = this.parts.join('').replace(HTML_SPACE_RUN, ' ').replace(EDGE_SPACE, '');
    if (NON_SPACE.test(paragraph)) this.paragraphs.push(paragraph);
    this.parts = [];
    this.breaks = 0;
  }
}

export interface WalkOptions {
  /** Elements to leave out with their content (besides the ones every walk skips). */
  readonly skip?: (element: DomElement) => boolean;
}

/** The paragraphs of `root`'s content, in document order (see the rules above). */
export function blockParagraphs(root: DomNode, options: WalkOptions = {}): string[] {
  const writer = new ParagraphWriter();
  const walk = (node: DomNode, quoteDepth: number): void => {
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) {
        writer.text(child.nodeValue ?? '');
        continue;
      }
      if (!isElement(child)) continue;
      const tag = child.localName.toLowerCase();
      if (tag === 'br') {
        writer.lineBreak();
        continue;
      }
      if (SKIPPED.has(tag) || isHidden(child) || options.skip?.(child)) {
        // Code and hidden blocks still separate the paragraphs around them.
        if (BLOCKS.has(tag) || CODE_BLOCKS.has(tag)) writer.end();
        continue;
      }
      if (BLOCKS.has(tag)) {
        writer.end();
        walk(child, quoteDepth);
        writer.end();
      } else if (tag === 'q') {
        // Browsers alternate double and single marks with nesting.
        const [open, close] = quoteDepth % 2 === 0 ? ['\u201c', '\u201d'] : ['\u2018', '\u2019'];
        writer.text(open);
        walk(child, quoteDepth + 1);
        writer.text(close);
      } else {
        walk(child, quoteDepth);
      }
    }
  };
  walk(root, 0);
  writer.end();
  return writer.paragraphs;
}

/** The text of an inline stretch (a heading, a title) on one line, as the walk would give it. */
export function inlineText(root: DomNode): string {
  return blockParagraphs(root).join(' ');
}

/** The `ExtractedText.text` layout: one paragraph per line, a blank line between paragraphs. */
export function paragraphLines(paragraphs: readonly string[]): string {
  return paragraphs.join('\n\n');
}
