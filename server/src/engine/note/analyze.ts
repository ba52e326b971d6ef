import type { Blockquote, Heading, Html, Paragraph, Parents, Root, TableRow } from 'mdast';
import type { VFile } from 'vfile';
import { visit, SKIP } from 'unist-util-visit';
import { MappedText } from '../text/mapped-text.js';
import { moveLocator, parseCitations, type CitationGroup, type Locator, type Span, type WrittenText } from './citations.js';
import { PLACEHOLDER, parseFragment, placeUnplacedNodes, proseOf } from './prose.js';
import { findQuotedSpans, type QuotedSpan } from './quotes.js';
import { sentenceAt, sentenceSpans } from './sentences.js';

/** A citation item with every span in document offsets. */
export interface NoteCitationItem {
  readonly key: string;
  readonly keySpan: Span;
  readonly suppressAuthor: boolean;
  readonly prefix: string;
  readonly suffix: string;
  readonly locator?: Locator;
}

export interface NoteCitation extends Span {
  readonly kind: 'bracketed' | 'narrative';
  readonly items: readonly NoteCitationItem[];
  /**
   * For a footnote reference that stands as a citation (its span): the
   * citations written in the footnote's definition, whose items it carries.
   */
  readonly footnote?: readonly NoteCitation[];
}

export interface NoteQuotation {
  readonly kind: 'inline' | 'block';
  /** The quoted words, markdown removed, mapped to document offsets. */
  readonly prose: MappedText;
  /** Document span of the quoted words (inside the marks). */
  readonly span: Span;
  /** The citation the quotation is attributed to, if any. */
  readonly citation?: NoteCitation;
  /**
   * In a table row under a `Speaker`, `Who` or `Said by` column: the document span of the row's cell in that
   * column, which names who spoke the quotation.
   */
  readonly speakerCell?: Span;
}

/** A block of the writer's own prose (not a blockquote): where claims are looked for. */
export interface NoteBlock {
  readonly kind: 'paragraph' | 'heading' | 'tableCell';
  readonly prose: MappedText;
  /** Sentence spans, in prose offsets. */
  readonly sentences: readonly Span[];
  /** Citation spans, in prose offsets (parallel to `citations`). */
  readonly citationSpans: readonly Span[];
  readonly citations: readonly NoteCitation[];
  /** Quotation spans including their marks, in prose offsets (parallel to `quotations`). */
  readonly quotationSpans: readonly Span[];
  readonly quotations: readonly NoteQuotation[];
}

export interface NoteAnalysis {
  readonly citations: NoteCitation[];
  readonly quotations: NoteQuotation[];
  readonly blocks: NoteBlock[];
}

declare module 'vfile' {
  interface DataMap {
    verbatim: NoteAnalysis;
    /**
     * Footnote definitions appended to a unit that another unit owns: only
     * their citations are read (for the references that cite through them).
     */
    borrowed: readonly Span[];
  }
}

function toDocument(prose: MappedText, span: Span): Span {
  return { start: prose.documentStart(span.start), end: prose.documentEnd(span.end) };
}

function locatorToDocument(prose: MappedText, locator: Locator | undefined): Locator | undefined {
  return locator && moveLocator(locator, (span) => toDocument(prose, span));
}

/**
 * The document span of `@key` or `@{key}`: keys are read as written, so it is
 * the `@` and the key's own length — even where the prose around it lost
 * markup (`_@key_` ends the key `key_` with the emphasis mark).
 */
function writtenKeySpan(prose: MappedText, item: CitationGroup['items'][number]): Span {
  const start = prose.documentStart(item.keySpan.start);
  const braced = prose.text[item.keySpan.start + 1] === '{';
  return { start, end: start + 1 + item.key.length + (braced ? 2 : 0) };
}

function citationToDocument(prose: MappedText, group: CitationGroup): NoteCitation {
  return {
    kind: group.kind,
    ...toDocument(prose, group),
    items: group.items.map((item) => ({
      key: item.key,
      keySpan: writtenKeySpan(prose, item),
      suppressAuthor: item.suppressAuthor,
      prefix: item.prefix,
      suffix: item.suffix,
      locator: locatorToDocument(prose, item.locator),
    })),
  };
}

const ONLY_PUNCTUATION = /^[\s\p{P}]*$/u;

/**
 * Attaches an inline quotation to a citation, in this order: (a) the first
 * citation after it in the same sentence, or one separated from it only by
 * punctuation and white space; (b) a citation earlier in the same sentence;
 * (c) the nearest citation earlier in the paragraph.
 */
function attachInline(text: string, quote: { open: number; close: number }, groups: readonly CitationGroup[], sentences: readonly Span[]): CitationGroup | undefined {
  const sentence = sentenceAt(sentences, quote.open);
  // Groups are in order: binary search for the first one after the quotation.
  let low = 0;
  let high = groups.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (groups[mid].start <= quote.close) low = mid + 1;
    else high = mid;
  }
  const next = groups[low] as CitationGroup | undefined;
  if (next) {
    const sentenceEnd = Math.max(sentence?.end ?? 0, quote.close + 1);
    if (next.start < sentenceEnd) return next;
    // A bracketed citation right after the sentence's final mark still belongs to it
    // (`… anaconda." [@key]`, `“A,” he said, “B.” [@key]`). A narrative `@key` there
    // is the subject of the next sentence, not this one's citation.
    if (next.kind === 'bracketed' && ONLY_PUNCTUATION.test(text.slice(sentenceEnd, next.start))) return next;
  }
  // (b) and (c) both pick the nearest earlier citation: within the sentence if there is one, else in the paragraph.
  for (let i = low - 1; i >= 0; i--) if (groups[i].end <= quote.open) return groups[i];
  return undefined;
}

/** An attribution line: an optional dash, a few words of name, and citations only (`-- [@key, ¶ 12]`, `— Name [@key]`). */
function isAttribution(text: string, groups: readonly Span[]): boolean {
  if (groups.length === 0) return false;
  let rest = '';
  let last = 0;
  for (const g of groups) {
    rest += text.slice(last, g.start) + ' ';
    last = g.end;
  }
  rest += text.slice(last);
  const words = rest.replace(/^[\s\-–—―]*/u, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length > 8) return false;
  // A line opened by a dash is an attribution even with initials or titles (`— A. Korybko`, `— Amb. Kabulov`).
  if (/^\s*[-–—―]/u.test(rest)) return true;
  return !/[.!?"“”„«»「」『』]\s*\S/u.test(rest.trim().replace(/[.,;:]+$/u, ''));
}

interface BlockProse {
  prose: MappedText;
  /** `prose.text` with autolinks, escapes, math, TeX and attributes masked: where quotations are looked for (see `citableText`). */
  text: string;
  groups: CitationGroup[];
}

/** Whether the character at `at` is backslash-escaped (an odd run of `\` before it). */
function isEscaped(document: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && document[at - n - 1] === '\\') n++;
  return n % 2 === 1;
}

/** The first prose position at or after document offset `offset` (a binary search: offsets only grow along the prose). */
function proseLowerBound(prose: MappedText, offset: number): number {
  let low = 0;
  let high = prose.starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (prose.starts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first prose position that stands at document offset `offset`, or -1. */
function proseIndexOf(prose: MappedText, offset: number): number {
  const at = proseLowerBound(prose, offset);
  return at < prose.starts.length && prose.starts[at] === offset ? at : -1;
}

/** Whether a position lies inside one of `groups` (ordered by start; a footnote reference may stand inside a bracket). */
function containment(groups: readonly Span[]): (at: number) => boolean {
  // reach[i]: the furthest end among the first i + 1 groups.
  const reach = new Int32Array(groups.length);
  groups.forEach((g, i) => {
    reach[i] = Math.max(g.end, i > 0 ? reach[i - 1] : 0);
  });
  return (at) => {
    let low = 0;
    let high = groups.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (groups[mid].start <= at) low = mid + 1;
      else high = mid;
    }
    return low > 0 && reach[low - 1] > at;
  };
}

/** Pandoc's `tex_math_dollars`: `$$…$$`, and `$…$` with no space inside either `$` and no digit right after the closing one. */
const DISPLAY_MATH = /\$\$[^$]+?\$\$/gu;
const INLINE_MATH = /\$(?=\S)[^$\n]*?[^\s$]\$(?!\d)|\$[^\s$]\$(?!\d)/gu;
/** Pandoc attributes after a span, link, image, code or heading: ids, classes, key=value pairs (`{#id .class key="value"}`). */
const ATTRIBUTES = /\{\s*(?:(?:[#.][\p{L}\p{N}_:-]+|[\p{L}_][\p{L}\p{N}_:.-]*=(?:"[^"]*"|'[^']*'|[^\s}"']+)|-)\s*)+\}/gu;
/**
 * Pandoc's raw TeX (`raw_tex`): an environment, or a command with its
 * arguments (`\emph{…}`, `\ref{…}`, `\cite[p. 3]{key}`), one level of braces
 * nested inside an argument.
 */
const BRACED = String.raw`\{[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*\}`;
const RAW_TEX = new RegExp(String.raw`\\begin\{([A-Za-z*]+)\}[\s\S]*?\\end\{\1\}|\\[A-Za-z]+\*?(?:\[[^\]\n]*\])?(?:${BRACED})+`, 'gu');

/** The two readings of a block's prose, same length as it so offsets carry over. */
interface CitableText {
  /** Where quotation marks are looked for. */
  quotes: string;
  /** Where citations are looked for. */
  citations: string;
}

/**
 * The block's prose with what is not prose to Pandoc masked: escaped `\@`,
 * `\[`, `\]`, `\$` (literal characters, not citation syntax), TeX math and raw
 * TeX, and attributes — a `"` or `'` in them is no quotation mark (`$f''(x)$`,
 * `{title="…"}`) and an `@key` no citation. Autolinks (`<https://…>`, a bare
 * `https://…` or `user@host`) are masked for quotations; for citations only
 * the pointed ones are, since Pandoc reads no bare URL as a link and
 * `https://medium.com/@writer` cites `writer` to it.
 */
function citableText(block: Parents, document: string, prose: MappedText): CitableText {
  const chars = prose.text.split('');
  chars.forEach((ch, i) => {
    if ((ch === '@' || ch === '[' || ch === ']' || ch === '$') && isEscaped(document, prose.starts[i])) chars[i] = PLACEHOLDER;
  });
  for (const pattern of [DISPLAY_MATH, INLINE_MATH, ATTRIBUTES, RAW_TEX]) {
    for (const m of chars.join('').matchAll(pattern)) {
      // An escaped backslash (`\\emph{…}`) starts no TeX: the command must be written as read.
      if (pattern === RAW_TEX && !document.startsWith(m[0].slice(0, 2), prose.starts[m.index])) continue;
      chars.fill(PLACEHOLDER, m.index, m.index + m[0].length);
    }
  }
  const forCitations = [...chars];
  visit(block, 'link', (link) => {
    const start = link.position?.start.offset;
    const end = link.position?.end.offset;
    // A written link starts with `[`; its URL is not in the prose at all.
    if (start === undefined || end === undefined || document[start] === '[') return;
    const pointed = document[start] === '<';
    for (let i = proseLowerBound(prose, start); i < chars.length && prose.starts[i] < end; i++) {
      chars[i] = PLACEHOLDER;
      if (pointed) forCitations[i] = PLACEHOLDER;
    }
  });
  return { quotes: chars.join(''), citations: forCitations.join('') };
}

/** The prose's map back to the written document, for reading keys as written. */
function writtenText(prose: MappedText, document: string): WrittenText {
  return {
    document,
    documentOffset: (index) => prose.starts[index],
    proseIndex: (offset) => proseLowerBound(prose, offset),
  };
}

function readBlock(block: Parents, document: string): BlockProse {
  const prose = proseOf(block, document, { altText: true });
  const text = citableText(block, document, prose);
  return { prose, text: text.quotes, groups: parseCitations(text.citations, writtenText(prose, document)) };
}

/** Cuts citations (and a trailing attribution line) out of a quoted paragraph's prose. */
function withoutCitations(block: BlockProse): MappedText {
  let prose = block.prose;
  const lines = prose.text.split('\n');
  const lastLineStart = prose.text.length - lines[lines.length - 1].length;
  if (lines.length > 1) {
    const lastGroups = block.groups.filter((g) => g.start >= lastLineStart).map((g) => ({ start: g.start - lastLineStart, end: g.end - lastLineStart }));
    if (isAttribution(lines[lines.length - 1], lastGroups)) prose = prose.slice(0, lastLineStart);
  }
  const kept: MappedText[] = [];
  let from = 0;
  for (const g of block.groups) {
    if (g.start >= prose.length) break;
    kept.push(prose.slice(from, g.start));
    from = g.end;
  }
  kept.push(prose.slice(from, prose.length));
  const joined = MappedText.concat(kept, '');
  const trimmedEnd = joined.text.replace(/[\s\-–—―]+$/u, '').length;
  const trimmedStart = joined.text.length - joined.text.replace(/^\s+/u, '').length;
  return joined.slice(trimmedStart, Math.max(trimmedStart, trimmedEnd));
}

/** Words outside the quotation marks that may still be a speaker tag (`notes Suchkov`, `he added`). */
const MAX_SPEAKER_TAG_WORDS = 6;

/**
 * A blockquote that itself opens with a quotation mark and holds, outside its
 * quotations, only a short speaker tag: its quotations are the marked spans.
 */
function speakerTagged(text: string): QuotedSpan[] | undefined {
  if (!/^\s*["“‘„‚«»‹›”「『]/u.test(text)) return undefined;
  const spans = findQuotedSpans(text);
  if (spans.length === 0) return undefined;
  let outside = '';
  let from = 0;
  for (const q of spans) {
    outside += ` ${text.slice(from, q.open)}`;
    from = q.close + 1;
  }
  outside += ` ${text.slice(from)}`;
  const words = outside.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length <= MAX_SPEAKER_TAG_WORDS ? spans : undefined;
}

/** A block already read, with its written citations in document offsets. */
interface ReadBlock {
  block: BlockProse;
  citations: NoteCitation[];
}

/** What a table cell's row lends it: the citation another cell holds, and the cell that names the speaker. */
interface RowContext {
  citation: (cell: Parents) => NoteCitation | undefined;
  speakerCell: (cell: Parents) => Span | undefined;
}

/** A table's header names the column of who spoke each row's quotation: `Speaker`, `Who`, `Said by`. */
const SPEAKER_HEADER = /^(?:speakers?|who|said by)$/iu;

/** The index of a table's speaker column, by its header cell's words; -1 when it has none. */
function speakerColumnOf(table: Parents, document: string): number {
  const header = table.children[0];
  if (header?.type !== 'tableRow') return -1;
  return header.children.findIndex((cell) => SPEAKER_HEADER.test(readBlock(cell, document).prose.text.trim().replace(/:$/u, '')));
}

class NoteReader {
  readonly analysis: NoteAnalysis = { citations: [], quotations: [], blocks: [] };

  private readonly footnotes = new Map<string, NoteCitation[]>();
  /** Each table's speaker column, read from its header once. */
  private readonly speakerColumns = new Map<Parents, number>();
  /** Footnote paragraphs already read for their citations, so reading their prose does not read them again. */
  private readonly footnoteParagraphs = new Map<Parents, ReadBlock>();

  constructor(
    private readonly document: string,
    tree: Root,
  ) {
    visit(tree, 'footnoteDefinition', (definition) => {
      const label = definition.identifier.toLowerCase();
      // The first definition of a label counts, as for link definitions.
      if (this.footnotes.has(label)) return;
      const cited: NoteCitation[] = [];
      visit(definition, 'paragraph', (paragraph) => {
        const block = readBlock(paragraph, document);
        const citations = block.groups.map((g) => citationToDocument(block.prose, g));
        this.footnoteParagraphs.set(paragraph, { block, citations });
        for (const c of citations) cited.push(c);
      });
      this.footnotes.set(label, cited);
    });
  }

  /**
   * Reads a block of the writer's prose. `row` is, for a table cell, what
   * another cell of its row holds: the citation, which a quotation with no
   * citation of its own in its cell takes (a table with a source column), and
   * the cell that names its speaker (a table with a speaker column).
   */
  readProse(block: Parents, kind: NoteBlock['kind'], row?: RowContext, read?: ReadBlock): void {
    const known = this.footnoteParagraphs.get(block) ?? read;
    const { prose, text, groups: written } = known?.block ?? readBlock(block, this.document);
    const writtenCitations = known?.citations ?? written.map((g) => citationToDocument(prose, g));
    for (const c of writtenCitations) this.analysis.citations.push(c);
    // Footnote references whose notes cite something count as citations where they stand (Pandoc's note citations).
    const notes = this.footnoteCitations(block, prose);
    const order = [...written.map((g, i) => ({ group: g, citation: writtenCitations[i] })), ...notes].sort((a, b) => a.group.start - b.group.start);
    const groups = order.map((o) => o.group);
    const citations = order.map((o) => o.citation);
    const citationOf = new Map(order.map((o) => [o.group, o.citation]));
    const inCitation = containment(groups);
    const quoted = findQuotedSpans(text).filter((q) => !inCitation(q.open));
    const quotationSpans = quoted.map((q) => ({ start: q.open, end: q.close + 1 }));
    const sentences = sentenceSpans(text, groups, quotationSpans);
    const quotations: NoteQuotation[] = quoted.map((q) => {
      const group = attachInline(text, q, groups, sentences);
      return {
        kind: 'inline',
        prose: prose.slice(q.inner.start, q.inner.end),
        span: toDocument(prose, q.inner),
        citation: group ? citationOf.get(group) : row?.citation(block),
        speakerCell: row?.speakerCell(block),
      };
    });
    for (const q of quotations) this.analysis.quotations.push(q);
    this.analysis.blocks.push({ kind, prose, sentences, citationSpans: groups, citations, quotationSpans, quotations });
  }

  /**
   * A table row is a unit of its own: a quotation in one cell is attributed to
   * a citation in its own cell first, then to the first citation in a later
   * cell of the row, then to the last in an earlier cell — never to another row.
   */
  readRow(row: TableRow, table: Parents | undefined): void {
    let speakerColumn = -1;
    if (table && row !== table.children[0]) {
      speakerColumn = this.speakerColumns.get(table) ?? speakerColumnOf(table, this.document);
      this.speakerColumns.set(table, speakerColumn);
    }
    const cells = row.children.map((cell) => {
      const block = readBlock(cell, this.document);
      const citations = block.groups.map((g) => citationToDocument(block.prose, g));
      const notes = this.footnoteCitations(cell, block.prose).map((n) => n.citation);
      const all = [...citations, ...notes].sort((a, b) => a.start - b.start);
      return { cell, read: { block, citations }, first: all[0], last: all[all.length - 1] };
    });
    const rowCitation = (cell: Parents): NoteCitation | undefined => {
      const at = cells.findIndex((c) => c.cell === cell);
      const later = cells.slice(at + 1).find((c) => c.first);
      const earlier = cells.slice(0, at).reverse().find((c) => c.last);
      return later?.first ?? earlier?.last;
    };
    const speaker = cells[speakerColumn] as (typeof cells)[number] | undefined;
    const speakerCell = (cell: Parents): Span | undefined => {
      if (!speaker || speaker.cell === cell) return undefined;
      const { prose } = speaker.read.block;
      const text = prose.text;
      const start = text.length - text.trimStart().length;
      const end = text.trimEnd().length;
      return end > start ? { start: prose.documentStart(start), end: prose.documentEnd(end) } : undefined;
    };
    for (const { cell, read } of cells) this.readProse(cell, 'tableCell', { citation: rowCitation, speakerCell }, read);
  }

  /** The footnote references in a block whose footnotes hold citations, as citation groups at the reference. */
  private footnoteCitations(block: Parents, prose: MappedText): { group: CitationGroup; citation: NoteCitation }[] {
    const found: { group: CitationGroup; citation: NoteCitation }[] = [];
    visit(block, 'footnoteReference', (reference) => {
      const cited = this.footnotes.get(reference.identifier.toLowerCase());
      const start = reference.position?.start.offset;
      if (!cited || cited.length === 0 || start === undefined) return;
      const at = proseIndexOf(prose, start);
      if (at < 0) return;
      found.push({
        group: { kind: 'bracketed', start: at, end: at + 1, items: [] },
        citation: { kind: 'bracketed', start, end: reference.position?.end.offset ?? start, items: cited.flatMap((c) => c.items), footnote: cited },
      });
    });
    return found;
  }

  /** The text after the comments on the last line of a block-level HTML comment, as a paragraph of its own. */
  afterCommentsParagraph(node: Html): Paragraph | Heading | undefined {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return undefined;
    const tail = afterComments(this.document, start, end);
    return tail === undefined ? undefined : parseFragment(this.document, tail, end);
  }

  readBlockquote(node: Blockquote, parent: Parents | undefined, index: number | undefined): void {
    const blocks: BlockProse[] = [];
    visit(node, (child) => {
      const block = child.type === 'html' ? this.afterCommentsParagraph(child) : child;
      if (block?.type === 'paragraph' || block?.type === 'heading') {
        blocks.push(readBlock(block, this.document));
        return SKIP;
      }
      return undefined;
    });
    for (const block of blocks) for (const g of block.groups) this.analysis.citations.push(citationToDocument(block.prose, g));
    if (blocks.length === 0 || /^\s*\[!\w+\]/u.test(blocks[0].prose.text)) return; // a GitHub alert, not a quotation

    let quoted = blocks;
    let citation: NoteCitation | undefined;
    const last = blocks[blocks.length - 1];
    if (blocks.length > 1 && isAttribution(last.prose.text, last.groups)) {
      quoted = blocks.slice(0, -1);
      citation = citationToDocument(last.prose, last.groups[0]);
    } else {
      const inside = [...blocks].reverse().find((b) => b.groups.length > 0);
      if (inside) citation = citationToDocument(inside.prose, inside.groups[inside.groups.length - 1]);
    }
    if (!citation && parent && index !== undefined) {
      const following = parent.children[index + 1];
      if (following?.type === 'paragraph') {
        const block = readBlock(following, this.document);
        if (isAttribution(block.prose.text, block.groups)) citation = citationToDocument(block.prose, block.groups[0]);
      }
    }
    const prose = MappedText.concat(quoted.map(withoutCitations), '\n');
    if (prose.text.trim().length === 0) return;
    const inner = speakerTagged(prose.text);
    if (inner) {
      // `> “…,” notes Suchkov.`: the quotation is what stands between the marks; the speaker tag is the writer's.
      for (const q of inner) this.analysis.quotations.push({ kind: 'inline', prose: prose.slice(q.inner.start, q.inner.end), span: toDocument(prose, q.inner), citation });
      return;
    }
    this.analysis.quotations.push({
      kind: 'block',
      prose,
      span: { start: prose.documentStart(0), end: prose.documentEnd(prose.length) },
      citation,
    });
  }
}

/**
 * Where prose begins after the HTML comments that open a block-level HTML
 * node (`<!-- note --> then @key.`): CommonMark makes the whole line HTML,
 * Pandoc only the comment. Undefined when nothing follows them.
 */
function afterComments(document: string, start: number, end: number): number | undefined {
  let at = start;
  for (;;) {
    const open = /^\s*<!--/u.exec(document.slice(at, end));
    if (!open) break;
    const close = document.indexOf('-->', at + open[0].length);
    if (close < 0 || close >= end) return undefined;
    at = close + 3;
  }
  return at > start && document.slice(at, end).trim() !== '' ? at : undefined;
}

/**
 * The remark plugin that reads a note: every citation and quotation, each
 * quotation attached to its citation. Checks read the result from
 * `file.data.verbatim`.
 */
export default function remarkVerbatimNote() {
  return (tree: Root, file: VFile): void => {
    placeUnplacedNodes(tree, String(file.value));
    const reader = new NoteReader(String(file.value), tree);
    const borrowed = containment(file.data.borrowed ?? []);
    visit(tree, (node, index, parent) => {
      // A borrowed definition's own quotations and claims are its owner's to report.
      if (borrowed(node.position?.start.offset ?? 0)) return SKIP;
      if (node.type === 'blockquote') {
        reader.readBlockquote(node, parent, index);
        return SKIP;
      }
      if (node.type === 'tableRow') {
        reader.readRow(node, parent);
        return SKIP;
      }
      if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
        reader.readProse(node, node.type);
        return SKIP;
      }
      const afterComments = node.type === 'html' ? reader.afterCommentsParagraph(node) : undefined;
      if (afterComments) reader.readProse(afterComments, afterComments.type);
      return undefined;
    });
    reader.analysis.citations.sort((a, b) => a.start - b.start);
    file.data.verbatim = reader.analysis;
  };
}
