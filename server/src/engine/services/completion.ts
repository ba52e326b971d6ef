import type { Corpus } from '../corpus/corpus.js';
import { describeSource } from './hover.js';
import { escapeMarkdown } from './markdown.js';

export interface CompletionEntry {
  label: string;
  /** One line: author, title, date. */
  detail: string;
  /** Markdown, escaped. */
  documentation: string;
  /** What the editor filters on: key and metadata fields. */
  filterText: string;
  sortText: string;
}

export type CompletionContext = { kind: 'key'; typed: string } | { kind: 'paragraph'; key: string } | { kind: 'page'; key: string } | undefined;

/** The key of a citation being written, then optional text, up to the cursor (`[see @key, `). */
const CITED_KEY = String.raw`\[[^\]]*?-?@([\p{L}\p{N}_][^\s,;\]]*)[^\];]*?,?\s*`;
const PARAGRAPH_AT_CURSOR = new RegExp(`${CITED_KEY}(?:¶¶?|paras?\\.?|paragraphs?)\\s*(?:\\d+\\s*[-–—]\\s*)?$`, 'u');
const PAGE_AT_CURSOR = new RegExp(`${CITED_KEY}(?:pp?\\.|pages?)\\s*(?:[\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)?\\s*[-–—]\\s*)?$`, 'u');

/**
 * Text before the cursor on its line decides what to complete: a key after
 * `[@`, `@`, `; @`; a paragraph after `¶ ` or `para. `; a page after `p. `,
 * `pp. ` or `page `.
 */
export function completionContext(linePrefix: string): CompletionContext {
  const key = (match: RegExpExecArray): string => match[1].replace(/[.,:;]+$/u, '');
  const paragraph = PARAGRAPH_AT_CURSOR.exec(linePrefix);
  if (paragraph) return { kind: 'paragraph', key: key(paragraph) };
  const page = PAGE_AT_CURSOR.exec(linePrefix);
  if (page) return { kind: 'page', key: key(page) };
  const typed = /(?:^|[\s[;(-])@([\p{L}\p{N}_:.#$%&+?<>~/-]*)$/u.exec(linePrefix);
  if (typed) return { kind: 'key', typed: typed[1] };
  return undefined;
}

function firstWords(text: string, count = 8): string {
  const words = text.trim().split(/\s+/u);
  return words.length <= count ? words.join(' ') : `${words.slice(0, count).join(' ')}…`;
}

export function keyCompletions(corpus: Corpus): CompletionEntry[] {
  return corpus.sources.map((source) => {
    const meta = source.metadata;
    const detail = [meta?.authors.join(', '), meta?.title, meta?.date].filter((p) => !!p).join(' — ') || '(no bibliography entry)';
    const opening = source.paragraphs[0] ? `\n\n> ${escapeMarkdown(firstWords(source.paragraphs[0].text, 30))}` : '';
    return {
      label: source.key,
      detail,
      documentation: `${describeSource(source)}${opening}`,
      filterText: [source.key, meta?.authors.join(' '), meta?.title, meta?.date].filter(Boolean).join(' '),
      sortText: source.key,
    };
  });
}

export function paragraphCompletions(corpus: Corpus, key: string): CompletionEntry[] {
  const source = corpus.byKey.get(key);
  if (!source) return [];
  return source.paragraphs.map((p) => ({
    label: String(p.number),
    detail: firstWords(p.text),
    documentation: `> ${escapeMarkdown(p.text)}`,
    filterText: String(p.number),
    sortText: String(p.number).padStart(6, '0'),
  }));
}

/** A PDF's pages by their labels, each with its first words; none for a source without pages. */
function pageCompletions(corpus: Corpus, key: string): CompletionEntry[] {
  const source = corpus.byKey.get(key);
  return (source?.pages ?? []).map((page, i) => {
    const text = source?.text.slice(page.start, page.end).trim() ?? '';
    return {
      label: page.label,
      detail: firstWords(text),
      documentation: `> ${escapeMarkdown(firstWords(text, 60))}`,
      filterText: page.label,
      sortText: String(i).padStart(6, '0'),
    };
  });
}

/** Paragraph numbers or page labels for the locator being written. */
export function locatorCompletions(corpus: Corpus, context: { kind: 'paragraph' | 'page'; key: string }): CompletionEntry[] {
  return context.kind === 'paragraph' ? paragraphCompletions(corpus, context.key) : pageCompletions(corpus, context.key);
}
