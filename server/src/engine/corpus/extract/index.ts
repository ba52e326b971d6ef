import { createHash } from 'node:crypto';
import type { DocumentFormat } from '../corpus.js';
import type { ExtractedText } from './extracted.js';

/**
 * Bumped whenever an extractor's output changes, so texts cached by an
 * earlier version are extracted again rather than trusted.
 */
const EXTRACTION_VERSION = 1;

/** Extracted texts by content: a restart, or a renamed file, does not extract again. */
export interface ExtractionCache {
  get(key: string): ExtractedText | undefined;
  set(key: string, extracted: ExtractedText): void;
}

/** The cache key of a document: its bytes, its format, and the extractors' version. */
export function extractionKey(format: DocumentFormat, bytes: Uint8Array): string {
  return `${format}-v${EXTRACTION_VERSION}-${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The extractors are loaded when a document first needs one: pdf.js alone is
 * larger than the rest of the server, and a corpus of text files never needs it.
 */
async function extract(format: DocumentFormat, bytes: Uint8Array): Promise<ExtractedText> {
  switch (format) {
    case 'pdf':
      return (await import('./pdf.js')).extractPdf(bytes);
    case 'html':
      return (await import('./html.js')).extractHtml(decodeHtml(bytes));
    case 'docx':
      return (await import('./docx.js')).extractDocx(bytes);
  }
}

/**
 * A saved page's text in the encoding it declares: a byte-order mark, else
 * `<meta charset>` or its `http-equiv` form in the first kilobytes (as
 * browsers look), else UTF-8. An encoding Node does not know is read as UTF-8.
 */
export function decodeHtml(bytes: Uint8Array): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 'utf-8' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const declared = bom ?? /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/iu.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(declared).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** A document's text, from the cache when its bytes were extracted before. */
export async function extractDocument(format: DocumentFormat, bytes: Uint8Array, cache?: ExtractionCache): Promise<ExtractedText> {
  const key = cache ? extractionKey(format, bytes) : '';
  const cached = cache?.get(key);
  if (cached) return cached;
  const extracted = await extract(format, bytes);
  cache?.set(key, extracted);
  return extracted;
}
