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

export type CompletionContext = { kind: 'key'; typed: string } | { kind: 'paragraph'; key: string } | undefined;

/** Text before the cursor on its line decides what to complete: a key after `[@`, `@`, `; @`; a paragraph after `¶ ` or `para. `. */
export function completionContext(linePrefix: string): CompletionContext {
  const paragraph = /\[[^\]]*?-?@([\p{L}\p{N}_][^\s,;\]]*)[^\];]*?,?\s*(?:¶¶?|paras?\.?|paragraphs?)\s*(?:\d+\s*[-–—]\s*)?$/u.exec(linePrefix);
  if (paragraph) return { kind: 'paragraph', key: paragraph[1].replace(/[.,:;]+$/u, '') };
  const key = /(?:^|[\s[;(-])@([\p{L}\p{N}_:.#$%&+?<>~/-]*)$/u.exec(linePrefix);
  if (key) return { kind: 'key', typed: key[1] };
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
