import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import type { SourceMetadata } from '../bibliography.js';
import { ExtractionError, type ExtractedText } from './extracted.js';
import { layOutPdf, type PdfPageText, type PdfRun } from './pdf-layout.js';

/**
 * PDF sources: the text a reader sees on the pages (layout rules in
 * `pdf-layout.ts`), the pages by their own labels, and what the file says of
 * its title, author and date. pdfjs-dist reads the file, in this thread.
 */

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * pdfjs, set up to run in this thread with no worker file and no canvas.
 *
 * Two globals, set once per process and never changed after: `pdfjsWorker`,
 * pdfjs's own hook for running its worker code in-process (its "fake worker"),
 * so nothing looks for a worker file beside the bundle; and, when the process
 * has none, an inert `DOMMatrix`, because pdfjs's canvas renderer constructs
 * one when it loads — text extraction never renders, and without it pdfjs
 * cannot load where its optional `@napi-rs/canvas` is not installed (the .vsix).
 */
async function loadPdfJs(): Promise<PdfJs> {
  const scope = globalThis as { pdfjsWorker?: unknown; DOMMatrix?: unknown };
  scope.DOMMatrix ??= class InertDOMMatrix {};
  scope.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  return import('pdfjs-dist/legacy/build/pdf.mjs');
}

const NO_TEXT = 'PDF has no text layer (scanned images?); run OCR first';

/** Reads a PDF's text, pages and metadata; throws `ExtractionError` for a PDF that is encrypted, damaged or has no text. */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedText> {
  checkEnvelope(bytes);
  const pdfjs = await loadPdfJs();
  // pdfjs takes over the buffer it is given; the caller's bytes stay theirs.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let doc: PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy();
    throw openingError(error);
  }
  try {
    const labels = await doc.getPageLabels().catch(() => null);
    const pages: PdfPageText[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const label = labels?.[number - 1]?.trim() || String(number);
      pages.push({ label, runs: await pageRuns(doc, number, label) });
    }
    const { info, producer, xmp } = await documentInfo(doc);
    const laidOut = layOutPdf(pages, { breakHyphensMarked: isBrowserPrint(producer, info.Creator) });
    if (laidOut.text === '') throw new ExtractionError(NO_TEXT);
    const metadata = metadataOf(info, xmp, producer);
    return { text: laidOut.text, pages: laidOut.pages, ...(metadata ? { metadata } : {}) };
  } finally {
    await doc.destroy();
  }
}

/**
 * What pdfjs would otherwise mend in silence: a file that is no PDF, and one
 * cut short (a PDF ends with `%%EOF`; pdfjs reconstructs a truncated file from
 * what is left, and the text of the lost part would simply be missing).
 */
function checkEnvelope(bytes: Uint8Array): void {
  const head = latin1(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) throw new ExtractionError('File is not a PDF (it does not start with "%PDF-")');
  const tail = latin1(bytes.subarray(Math.max(0, bytes.length - 4096)));
  if (!tail.includes('%%EOF')) {
    throw new ExtractionError('PDF is incomplete: it lacks the end-of-file marker a PDF closes with (a truncated download or copy?)');
  }
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function openingError(error: unknown): ExtractionError {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    return new ExtractionError('PDF is encrypted: it needs a password to open; save a copy without the password and use that');
  }
  return new ExtractionError(`PDF is damaged and cannot be read (${message})`);
}

/**
 * A page's text runs, in the frame where most of its text reads left to right
 * (x to the right, y downwards): a page turned by /Rotate, or a landscape table
 * drawn sideways, is read the way its text runs, as a reader turns the page.
 * Text in the other directions (a margin stamp) and text set at an angle (a
 * watermark) are left out.
 */
async function pageRuns(doc: PDFDocumentProxy, number: number, label: string): Promise<PdfRun[]> {
  let page: PDFPageProxy | undefined;
  try {
    page = await doc.getPage(number);
    const content = await page.getTextContent();
    const byDirection: PdfRun[][] = [[], [], [], []];
    const characters = [0, 0, 0, 0];
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      // pdf.js types the matrix as any[]: six numbers.
      const [a, b, c, d, e, f] = Array.from<unknown, number>(item.transform, Number);
      const length = Math.hypot(a, b);
      if (!(length > 0)) continue;
      const angle = Math.atan2(b, a) / (Math.PI / 2);
      const quarter = Math.round(angle);
      if (Math.abs(angle - quarter) > 0.03) continue;
      const direction = (quarter + 4) % 4;
      const [cos, sin] = [
        [1, 0],
        [0, 1],
        [-1, 0],
        [0, -1],
      ][direction];
      byDirection[direction].push({
        text: item.str,
        x: e * cos + f * sin,
        y: e * sin - f * cos,
        width: item.width,
        // The text's height across its baseline (a slant for italics leaves it alone).
        size: Math.abs(a * d - b * c) / length,
      });
      characters[direction] += item.str.length;
    }
    return byDirection[characters.indexOf(Math.max(...characters))];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExtractionError(`PDF page ${label} cannot be read (${message}); the file may be damaged`);
  } finally {
    page?.cleanup();
  }
}

interface DocumentInfo {
  info: Record<string, unknown>;
  producer: string;
  xmp: { get(name: string): unknown } | null;
}

async function documentInfo(doc: PDFDocumentProxy): Promise<DocumentInfo> {
  try {
    const { info, metadata } = await doc.getMetadata();
    const record = (typeof info === 'object' && info !== null ? info : {}) as Record<string, unknown>;
    const producer = typeof record.Producer === 'string' ? record.Producer : '';
    const xmp = metadata as { get(name: string): unknown } | null;
    return { info: record, producer, xmp };
  } catch {
    // Metadata is a courtesy: a broken info dictionary does not cost the text.
    return { info: {}, producer: '', xmp: null };
  }
}

/**
 * A web page printed to PDF by Chromium (Skia/PDF): it draws the hyphen of a
 * soft-hyphen break as U+2010 and never hyphenates on its own, and its creation
 * date is when the page was printed.
 */
function isBrowserPrint(producer: string, creator: unknown): boolean {
  return /^Skia\/PDF/u.test(producer) || (typeof creator === 'string' && /HeadlessChrome|Mozilla\/\d/u.test(creator));
}

/** A title that names a file or a template, not the work: `Microsoft Word - report.docx`, `untitled`, `page.html`. */
function isJunkTitle(title: string): boolean {
  return (
    /^Microsoft (?:Word|PowerPoint|Excel) - /iu.test(title) ||
    /\.(?:docx?|odt|rtf|pdf|html?|txt|tex|dvi|ps|eps|indd|pages|pptx?|xlsx?|qxd)$/iu.test(title) ||
    /^(?:untitled(?:-\d+)?|document\d*|title|no title|slide \d+|presentation\d*)$/iu.test(title)
  );
}

/** An author field that names an account, not a person: `Administrator`, `user`, `unknown`. */
function isJunkAuthor(author: string): boolean {
  return /^(?:unknown|user|owner|admin|administrator|author|anonymous|default|root)$/iu.test(author);
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((item): item is string => typeof item === 'string');
  return undefined;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** `D:20250208122313Z` (PDF date) or `2021-08-13T10:00:00Z` (XMP) as `2025-02-08`. */
function dateOf(value: string): string | undefined {
  const pdf = /^D:(\d{4})(\d{2})?(\d{2})?/u.exec(value.trim());
  if (pdf) return [pdf[1], pdf[2], pdf[3]].filter(Boolean).join('-');
  const iso = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/u.exec(value.trim());
  return iso ? [iso[1], iso[2], iso[3]].filter(Boolean).join('-') : undefined;
}

/**
 * Title, authors and date from the XMP packet (Dublin Core) or else the info
 * dictionary, without the junk producers leave there. The date is the XMP
 * `dc:date` or the file's creation date; a browser's print of a web page gets
 * none, since its creation date is the day it was printed.
 */
function metadataOf(
  info: Record<string, unknown>,
  xmp: DocumentInfo['xmp'],
  producer: string,
): Partial<SourceMetadata> | undefined {
  const tidy = (value: string | undefined): string | undefined => {
    const text = value?.replace(/\s+/gu, ' ').trim();
    return text ? text : undefined;
  };
  const title = tidy(firstString(xmp?.get('dc:title'))) ?? tidy(firstString(info.Title));
  const xmpAuthors = strings(xmp?.get('dc:creator'));
  const infoAuthor = tidy(firstString(info.Author));
  const authors = (xmpAuthors.length > 0 ? xmpAuthors : infoAuthor ? infoAuthor.split(/\s*;\s*|\s+and\s+/u) : [])
    .map((name) => tidy(name))
    .filter((name): name is string => name !== undefined && !isJunkAuthor(name));
  const rawDate = firstString(xmp?.get('dc:date')) ?? firstString(xmp?.get('xmp:createdate')) ?? firstString(info.CreationDate);
  const date = !isBrowserPrint(producer, info.Creator) && rawDate ? dateOf(rawDate) : undefined;

  const metadata: Partial<SourceMetadata> = {};
  if (title && !isJunkTitle(title)) metadata.title = title;
  if (authors.length > 0) metadata.authors = authors;
  if (date) metadata.date = date;
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}
