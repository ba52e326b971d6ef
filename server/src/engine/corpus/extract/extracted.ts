import type { SourceMetadata } from '../bibliography.js';

/**
 * What a document format (PDF, saved web page, Word file) yields as a source:
 * its reading text, laid out as plain text — one paragraph per line, a blank
 * line between paragraphs — so that it is numbered, indexed and shown exactly
 * as a plain-text source is (every non-blank line is one paragraph).
 */
export interface ExtractedText {
  /** Paragraphs, one per line, separated by blank lines; no line is only white space. */
  readonly text: string;
  /**
   * Pages in order, as offsets into `text` (PDF only). A page starts at a
   * paragraph start, or inside a paragraph that runs on from the previous page —
   * one paragraph, whole, since a quotation across a page break needs both pages
   * — at the exact character where the page's own text begins.
   */
  readonly pages?: readonly PageSpan[];
  /** What the document says of itself (HTML `<meta>`, JSON-LD, Open Graph; PDF info). */
  readonly metadata?: Partial<SourceMetadata>;
}

export interface PageSpan {
  /** The page's label as the document numbers it (`233`, `iv`), or its physical number from 1. */
  readonly label: string;
  /**
   * Offsets in the extracted text: the page's first character and just past its
   * last. The blank lines between paragraphs, and the space that joins two lines
   * across a page break, belong to no page; a page with no text has `start === end`.
   */
  readonly start: number;
  readonly end: number;
}

/** Why a document gives no text (no text layer, encrypted, corrupt): said to the user as a `corpus-error`. */
export class ExtractionError extends Error {}
