import JSZip from 'jszip';
import mammoth from 'mammoth';
import { DOMParser, parseHTML } from 'linkedom';
import { blockParagraphs, isElement, paragraphLines, type DomElement, type DomNode } from './blocks.js';
import { ExtractionError, type ExtractedText } from './extracted.js';
import { normaliseDate, withoutUndefined } from './page-metadata.js';
import type { SourceMetadata } from '../bibliography.js';

/**
 * A Word file (`.docx`) as a source: mammoth turns the document body into
 * semantic HTML (headings, paragraphs, lists, tables, footnotes at the end),
 * and the same block walk as for web pages (`blocks.ts`) makes its paragraph
 * lines — every Word paragraph, heading, list item and table cell is one, in
 * document order, numbered from 1 with the first line of the document (a
 * title line is ¶ 1, as in plain text). Footnotes and endnotes follow the body
 * as paragraphs of their own; their reference marks are left out of the
 * paragraph they sit in, as they are not words of the text. Headers, footers
 * and comments are not part of the text.
 *
 * Metadata comes from the file's document properties (`docProps/core.xml`):
 * title, author(s) (`dc:creator`, which Word separates with `;`) and the date
 * the document was created (`dcterms:created`, the day as stated) — Word's own
 * record, which can be when the file was made rather than when the text was
 * published.
 */

interface XmlDocument extends DomNode {
  readonly documentElement: DomElement | null;
}

/** The start of an OLE compound file: a Word 97–2003 `.doc`, or an encrypted (password-protected) `.docx`. */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function isOleFile(bytes: Uint8Array): boolean {
  return OLE_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/** A library's error as one readable line: without its help links and its parser's position noise. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\s*If it is, see \S+/g, '')
    .replace(/@#\[line:[^\]]*\]/g, '')
    .replace(/^error:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of the core properties' children by local name (`title`, `creator`, `created`), whatever prefix the file gives their namespace. */
function coreFields(xml: string): Map<string, string> {
  const parsed = new DOMParser().parseFromString(xml, 'text/xml') as unknown as XmlDocument;
  const fields = new Map<string, string>();
  const root = parsed.documentElement;
  if (!root) return fields;
  for (let i = 0; i < root.childNodes.length; i++) {
    const child = root.childNodes[i];
    if (!isElement(child)) continue;
    const name = child.localName.replace(/^.*:/, '');
    const text = (child.textContent ?? '').replace(/[\t\n\f\r ]+/g, ' ').trim();
    if (text && !fields.has(name)) fields.set(name, text);
  }
  return fields;
}

async function coreMetadata(zip: JSZip): Promise<Partial<SourceMetadata>> {
  const file = zip.file('docProps/core.xml');
  if (!file) return {};
  let fields: Map<string, string>;
  try {
    fields = coreFields(await file.async('string'));
  } catch {
    // Document properties are optional: a file whose properties cannot be read still has its text.
    return {};
  }
  const created = fields.get('created');
  return withoutUndefined({
    title: fields.get('title'),
    authors: (fields.get('creator') ?? '').split(';').map((name) => name.trim()).filter((name) => name.length > 0),
    date: created === undefined ? undefined : normaliseDate(created),
  });
}

/** mammoth's footnote back-links (`↑`) and reference marks (`[1]`), which are its own additions, not the document's words. */
function isNoteMark(element: DomElement): boolean {
  if (element.localName.toLowerCase() !== 'a') return false;
  const href = element.getAttribute('href') ?? '';
  return /^#(?:footnote|endnote)-/.test(href) || (href.startsWith('#') && (element.textContent ?? '').trim() === '↑');
}

/** The text and document properties of a Word file; a file that is not one throws an `ExtractionError` saying why. */
export async function extractDocx(bytes: Uint8Array): Promise<ExtractedText> {
  if (isOleFile(bytes)) {
    throw new ExtractionError(
      'Not a .docx file: this is a Word 97–2003 document (.doc) or a password-protected .docx, which cannot be read; save it as a .docx without a password',
    );
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new ExtractionError(`Not a readable .docx file: it is not a valid zip archive (${reason(error)})`);
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Images give no text: an empty source instead of base64-encoding every picture.
      { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    const why = reason(error);
    throw new ExtractionError(`Not a readable .docx file: ${/xmldom|parse error/i.test(why) ? `its XML is damaged (${why})` : why}`);
  }
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`) as unknown as { document: { body: DomElement | null } };
  const paragraphs = document.body ? blockParagraphs(document.body, { skip: isNoteMark }) : [];
  return { text: paragraphLines(paragraphs), metadata: await coreMetadata(zip) };
}
