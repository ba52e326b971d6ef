import { createHash } from 'node:crypto';
import type { CheckResult } from '../check.js';
import { judgedWords, verdictCode, type JudgedQuotation, type VerdictCode } from '../checks/judgements.js';
import { describePlace } from '../checks/describe.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Source } from '../corpus/corpus.js';
import type { SourcePlace } from '../match/judge.js';
import type { WordChange } from '../match/approximate.js';
import { preferredPlace } from '../services/navigation.js';
import { REPORT_STYLE } from './style.js';

/** One checked note, as the report names it. */
export interface ReportNote {
  /** The note's path as the reader knows it (relative to where the report was asked for). */
  readonly path: string;
  readonly result: CheckResult;
}

/** The report's groups, worst first: the order a reviewer reads them in. */
const GROUPS = [
  { code: 'quote-not-found', title: 'Not found', help: 'in no source of the corpus' },
  { code: 'quote-wrong-source', title: 'Wrong source', help: 'in a source the note does not cite' },
  { code: 'quote-mismatch', title: 'Changed', help: 'close to the cited source, with words changed' },
  { code: 'quote-uncited', title: 'Uncited', help: 'a quotation with no citation' },
  { code: 'flagged', title: 'Verbatim, but flagged', help: 'the source’s words, put in the wrong mouth, distorted by an edit, or at another place than cited' },
  { code: 'verified', title: 'Verbatim', help: 'the cited source’s words' },
] as const satisfies readonly { code: VerdictCode['code'] | 'flagged'; title: string; help: string }[];

type GroupCode = (typeof GROUPS)[number]['code'];

/** The figures at the top of the report. */
export interface ReportSummary {
  readonly notes: number;
  readonly quotations: number;
  readonly verbatim: number;
  /** Verbatim or by the conventions, yet flagged: misattributed, distorted, or at another paragraph or page than cited. */
  readonly flagged: number;
  readonly changed: number;
  readonly wrongSource: number;
  readonly notFound: number;
  readonly uncitedQuotations: number;
  readonly uncitedClaims: number;
  readonly unsupportedClaims: number;
  readonly unknownSources: number;
}

const CLAIM_CODES = new Set(['claim-uncited', 'claim-unsupported']);

/**
 * The diagnostics about each quotation, claims aside: one that names its quotation's range (a speaker named
 * beside the words, `Kabulov said "…"`) goes to that quotation; any other to the quotation of its paragraph
 * whose words and citation lie nearest it.
 */
function diagnosticsByQuotation(result: CheckResult): Map<JudgedQuotation, Diagnostic[]> {
  const byQuotation = new Map<JudgedQuotation, Diagnostic[]>(result.judged.map((judged) => [judged, []]));
  const hulls = result.judged.map((judged) => {
    const { span, citation } = judged.quotation;
    return { judged, start: Math.min(span.start, citation?.start ?? span.start), end: Math.max(span.end, citation?.end ?? span.end) };
  });
  for (const d of result.diagnostics) {
    if (CLAIM_CODES.has(d.code) || d.code === 'unknown-source') continue;
    const about = d.data?.quotation;
    const own = about && hulls.find((hull) => hull.judged.quotation.span.start === result.lines.offset(about.start) && hull.judged.quotation.span.end === result.lines.offset(about.end));
    if (own) {
      byQuotation.get(own.judged)?.push(d);
      continue;
    }
    const start = result.lines.offset(d.range.start);
    const end = result.lines.offset(d.range.end);
    const distance = (hull: { start: number; end: number }): number => Math.max(0, hull.start - end, start - hull.end);
    // Only within the quotation's own paragraph: a flag on a citation that holds no quotation belongs to none.
    const sameParagraph = (hull: { start: number; end: number }): boolean => !/\n[ \t>]*\n/u.test(result.text.slice(Math.min(end, hull.end), Math.max(start, hull.start)));
    const nearest = hulls.filter(sameParagraph).reduce<(typeof hulls)[number] | undefined>((best, hull) => (!best || distance(hull) < distance(best) ? hull : best), undefined);
    if (nearest) byQuotation.get(nearest.judged)?.push(d);
  }
  return byQuotation;
}

/** The group a quotation is shown in: its verdict's, or "flagged" for the source's words that something else is wrong with. */
function groupOf(judged: JudgedQuotation, diagnostics: readonly Diagnostic[]): GroupCode {
  const { code } = verdictCode(judged.judgement);
  return code === 'verified' && diagnostics.length > 0 ? 'flagged' : code;
}

export function summarize(notes: readonly ReportNote[]): ReportSummary {
  const byCode = new Map<string, number>();
  const count = (code: string): number => byCode.get(code) ?? 0;
  let quotations = 0;
  for (const { result } of notes) {
    const diagnostics = diagnosticsByQuotation(result);
    for (const judged of result.judged) {
      const code = groupOf(judged, diagnostics.get(judged) ?? []);
      byCode.set(code, count(code) + 1);
      quotations++;
    }
    for (const d of result.diagnostics) if (CLAIM_CODES.has(d.code) || d.code === 'unknown-source') byCode.set(d.code, count(d.code) + 1);
  }
  return {
    notes: notes.length,
    quotations,
    verbatim: count('verified'),
    flagged: count('flagged'),
    changed: count('quote-mismatch'),
    wrongSource: count('quote-wrong-source'),
    notFound: count('quote-not-found'),
    uncitedQuotations: count('quote-uncited'),
    uncitedClaims: count('claim-uncited'),
    unsupportedClaims: count('claim-unsupported'),
    unknownSources: count('unknown-source'),
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value: nothing in it can open markup. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => ESCAPES[c]);
}

/** A stretch of text and how it is shown: plain, matched (`mark`), the source's own (`ins`), the note's own (`del`). */
interface Segment {
  readonly kind: 'plain' | 'mark' | 'ins' | 'del' | 'gap';
  readonly text: string;
}

function renderSegments(segments: readonly Segment[]): string {
  return segments
    .map(({ kind, text }) => {
      const escaped = escapeHtml(text);
      switch (kind) {
        case 'plain':
          return escaped;
        case 'mark':
          return `<mark>${escaped}</mark>`;
        case 'ins':
          return `<ins>${escaped}</ins>`;
        case 'del':
          return `<del>${escaped}</del>`;
        case 'gap':
          // Where the note leaves out words the source has: a visible caret, not text to read.
          return '<del class="gap" title="words left out">‸</del>';
      }
    })
    .join('');
}

/** Highlighted stretches inside [from, to) of a text: the rest of each stretch is `base`. */
interface Highlight {
  readonly start: number;
  readonly end: number;
  readonly kind: Segment['kind'];
}

function segmentsOf(text: string, from: number, to: number, base: Segment['kind'], highlights: readonly Highlight[]): Segment[] {
  const segments: Segment[] = [];
  let at = from;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, Math.min(h.start, to));
    const end = Math.max(start, Math.min(h.end, to));
    if (start > at) segments.push({ kind: base, text: text.slice(at, start) });
    if (h.kind === 'gap') segments.push({ kind: 'gap', text: '' });
    else if (end > start) segments.push({ kind: h.kind, text: text.slice(start, end) });
    at = end;
  }
  if (to > at) segments.push({ kind: base, text: text.slice(at, to) });
  return segments;
}

/**
 * A change's swap stretch takes in an equal neighbour on each side of a pure addition or omission; the words
 * that differ are what is left once the text both sides share at the edges (whole words) is set aside.
 */
function differingStretch(change: WordChange, quoted: string, source: string): { quotation: [number, number]; source: [number, number] } {
  const q = quoted.slice(change.quotationStart, change.quotationEnd);
  const s = source.slice(change.sourceStart, change.sourceEnd);
  let prefix = 0;
  while (prefix < q.length && prefix < s.length && q[prefix] === s[prefix]) prefix++;
  // Back to a word boundary, so a shared first letter does not split a word.
  if (prefix < q.length || prefix < s.length) while (prefix > 0 && !/\s/u.test(q[prefix - 1])) prefix--;
  let suffix = 0;
  while (suffix < q.length - prefix && suffix < s.length - prefix && q[q.length - 1 - suffix] === s[s.length - 1 - suffix]) suffix++;
  if (suffix < q.length - prefix || suffix < s.length - prefix) while (suffix > 0 && !/\s/u.test(q[q.length - suffix])) suffix--;
  return {
    quotation: [change.quotationStart + prefix, change.quotationEnd - suffix],
    source: [change.sourceStart + prefix, change.sourceEnd - suffix],
  };
}

/** Source characters shown either side of the matched words. */
const CONTEXT = 160;

function paragraphBounds(source: Source, start: number, end: number): { from: number; to: number } {
  const first = source.paragraphs.find((p) => start >= p.start && start < p.end) ?? source.paragraphs.find((p) => start < p.end);
  const last = [...source.paragraphs].reverse().find((p) => end > p.start && end <= p.end) ?? first;
  return { from: Math.min(first?.start ?? 0, start), to: Math.max(last?.end ?? source.text.length, end) };
}

/** The passage around a place, cut at word boundaries within its paragraphs, with the matched words marked. */
function sourcePassage(place: SourcePlace, highlights: readonly Highlight[], base: Segment['kind']): string {
  const { text } = place.source;
  const paragraph = paragraphBounds(place.source, place.start, place.end);
  let from = Math.max(paragraph.from, place.start - CONTEXT);
  if (from > paragraph.from) from = Math.min(place.start, text.indexOf(' ', from) + 1 || place.start);
  let to = Math.min(paragraph.to, place.end + CONTEXT);
  if (to < paragraph.to) to = Math.max(place.end, text.lastIndexOf(' ', to));
  const segments = [
    ...(from > paragraph.from ? [{ kind: 'plain', text: '… ' } as const] : []),
    ...segmentsOf(text, from, place.start, 'plain', []),
    ...segmentsOf(text, place.start, place.end, base, highlights),
    ...segmentsOf(text, place.end, to, 'plain', []),
    ...(to < paragraph.to ? [{ kind: 'plain', text: ' …' } as const] : []),
  ];
  return renderSegments(segments);
}

interface Sides {
  readonly note: string;
  readonly source?: string;
  readonly place?: SourcePlace;
  /** What the passage is, when it is not where the words are: the nearest candidate of a quotation not found. */
  readonly caption?: string;
}

/** The note's words and the source passage, each with what the other lacks marked. */
function sides(judged: JudgedQuotation, verdict: VerdictCode): Sides {
  const quoted = judgedWords(judged).text;
  const plainNote = renderSegments([{ kind: 'mark', text: quoted }]);
  switch (verdict.code) {
    case 'quote-mismatch':
    case 'quote-wrong-source': {
      const { judgement } = verdict;
      if (judgement.verdict === 'other-source') {
        const place = preferredPlace(judged) ?? judgement.places[0];
        return { note: plainNote, source: sourcePassage(place, [], 'mark'), place };
      }
      const { place } = judgement;
      const noteMarks: Highlight[] = [];
      const sourceMarks: Highlight[] = [];
      for (const change of judgement.changes) {
        const stretch = differingStretch(change, quoted, place.source.text);
        const [qs, qe] = stretch.quotation;
        const [ss, se] = stretch.source;
        noteMarks.push(qe > qs ? { start: qs, end: qe, kind: 'del' } : { start: qs, end: qs, kind: 'gap' });
        if (se > ss) sourceMarks.push({ start: ss, end: se, kind: 'ins' });
      }
      return {
        note: renderSegments(segmentsOf(quoted, 0, quoted.length, 'mark', noteMarks)),
        source: sourcePassage(place, sourceMarks, 'mark'),
        place,
      };
    }
    case 'verified':
    case 'quote-uncited': {
      const { judgement } = verdict;
      if (judgement.verdict === 'unfound') return { note: plainNote };
      const place = preferredPlace(judged) ?? judgement.places[0];
      // What an ellipsis leaves out and a bracket stands in for: the source's words the note does not give.
      const edits: Highlight[] = (place.edits ?? []).filter((e) => e.end > e.start).map((e) => ({ start: e.start, end: e.end, kind: 'ins' }));
      return { note: plainNote, source: sourcePassage(place, edits, 'mark'), place };
    }
    case 'quote-not-found': {
      const { nearest } = verdict.judgement;
      if (!nearest) return { note: renderSegments([{ kind: 'del', text: quoted }]) };
      return {
        note: renderSegments([{ kind: 'del', text: quoted }]),
        source: sourcePassage(nearest, [], 'plain'),
        place: nearest,
        caption: 'Nearest passage (not a match)',
      };
    }
  }
}

/** The verdict in words, as the hover says it. */
function verdictText(judged: JudgedQuotation): string {
  switch (judged.judgement.verdict) {
    case 'verbatim':
      return 'Verbatim';
    case 'convention':
      return 'Verbatim, altered by convention (omission or brackets)';
    case 'changed':
      return 'Changed';
    case 'other-source':
      return 'From another source';
    case 'other-source-changed':
      return 'From another source, and changed';
    case 'not-found':
      return 'Not found in any source';
    case 'found':
      return 'Uncited; found in the corpus';
    case 'unfound':
      return 'Uncited; not found in any source';
  }
}

/** The citation as written: `@korybko2021, ¶ 10`. */
function citationText(judged: JudgedQuotation): string {
  const items = judged.quotation.citation?.items ?? [];
  if (items.length === 0) return 'no citation';
  return items.map((i) => `@${i.key}${i.locator ? `, ${i.locator.text}` : ''}`).join('; ');
}

function quotationCard(note: ReportNote, judged: JudgedQuotation, verdict: VerdictCode, problems: readonly Diagnostic[]): string {
  const line = note.result.lines.position(judged.quotation.span.start).line + 1;
  const shown = sides(judged, verdict);
  const changes =
    verdict.judgement.verdict === 'changed' || verdict.judgement.verdict === 'other-source-changed'
      ? verdict.judgement.changes
          .map((c) => `<li><del>${escapeHtml(c.quotation) || '(nothing)'}</del> → <ins>${escapeHtml(c.source) || '(nothing)'}</ins></li>`)
          .join('')
      : '';
  return [
    `<article class="quotation v-${verdict.code}">`,
    `<header><span class="verdict">${escapeHtml(verdictText(judged))}</span>`,
    `<span class="where">${escapeHtml(note.path)}:${line}</span></header>`,
    '<dl class="locators">',
    `<dt>Cited</dt><dd>${escapeHtml(citationText(judged))}</dd>`,
    shown.place ? `<dt>${shown.caption ? 'Nearest' : 'Found at'}</dt><dd>${escapeHtml(describePlace(shown.place))}${sourceTitle(shown.place.source)}</dd>` : '',
    '</dl>',
    '<div class="sides">',
    `<figure><figcaption>Note</figcaption><blockquote>${shown.note}</blockquote></figure>`,
    shown.source !== undefined
      ? `<figure><figcaption>${escapeHtml(shown.caption ?? 'Source')}</figcaption><blockquote>${shown.source}</blockquote></figure>`
      : '<figure><figcaption>Source</figcaption><p class="none">No source holds these words.</p></figure>',
    '</div>',
    changes ? `<p class="changes-title">Changes (note → source):</p><ul class="changes">${changes}</ul>` : '',
    problems.length > 0 ? `<ul class="problems">${problems.map((d) => `<li><span class="code">${escapeHtml(d.code)}</span> ${escapeHtml(d.message)}</li>`).join('')}</ul>` : '',
    '</article>',
  ].join('');
}

function sourceTitle(source: Source): string {
  const meta = source.metadata;
  if (!meta?.title) return '';
  const by = meta.authors.length > 0 ? ` — ${meta.authors.join(', ')}` : '';
  return `, <cite>${escapeHtml(meta.title)}</cite>${escapeHtml(by)}`;
}

function claimItem(note: ReportNote, diagnostic: Diagnostic): string {
  const kind = diagnostic.code === 'claim-uncited' ? 'Uncited claim' : 'Unsupported claim';
  const words = note.result.text.slice(note.result.lines.offset(diagnostic.range.start), note.result.lines.offset(diagnostic.range.end));
  return (
    `<li class="claim c-${diagnostic.code}"><span class="verdict">${kind}</span> <span class="where">${escapeHtml(note.path)}:${diagnostic.range.start.line + 1}</span>` +
    `<blockquote>${escapeHtml(words)}</blockquote><p>${escapeHtml(diagnostic.message)}</p></li>`
  );
}

function noteSection(note: ReportNote, index: number): string {
  const groups = new Map<GroupCode, string[]>();
  const diagnostics = diagnosticsByQuotation(note.result);
  for (const judged of note.result.judged) {
    const problems = diagnostics.get(judged) ?? [];
    const group = groupOf(judged, problems);
    groups.set(group, [...(groups.get(group) ?? []), quotationCard(note, judged, verdictCode(judged.judgement), problems)]);
  }
  const claims = note.result.diagnostics.filter((d) => CLAIM_CODES.has(d.code));
  const parts = [`<section class="note" id="note-${index + 1}"><h2>${escapeHtml(note.path)}</h2>`];
  if (note.result.judged.length === 0 && claims.length === 0) parts.push('<p class="none">No quotations or claims to check.</p>');
  for (const group of GROUPS) {
    const cards = groups.get(group.code);
    if (!cards) continue;
    parts.push(
      `<details open class="group g-${group.code}"><summary>${group.title} <span class="count">${cards.length}</span> <span class="help">${escapeHtml(group.help)}</span></summary>`,
      ...cards,
      '</details>',
    );
  }
  if (claims.length > 0) {
    parts.push(
      `<details open class="group g-claims"><summary>Claims <span class="count">${claims.length}</span> <span class="help">uncited, or stating what the cited passage does not</span></summary>`,
      `<ul class="claims">${claims.map((d) => claimItem(note, d)).join('')}</ul>`,
      '</details>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** A summary tile; `labels` is [one, many], so "1 uncited claim" but "2 uncited claims". */
function figure(labels: readonly [string, string], value: number, kind: string): string {
  const label = value === 1 ? labels[0] : labels[1];
  return `<div class="figure f-${kind}"><span class="value">${value}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

function summaryBlock(summary: ReportSummary): string {
  return [
    '<section class="summary" aria-label="Summary">',
    figure(['quotation checked', 'quotations checked'], summary.quotations, 'all'),
    figure(['verbatim', 'verbatim'], summary.verbatim, 'verified'),
    figure(['verbatim but flagged', 'verbatim but flagged'], summary.flagged, 'flagged'),
    figure(['changed', 'changed'], summary.changed, 'quote-mismatch'),
    figure(['wrong source', 'wrong source'], summary.wrongSource, 'quote-wrong-source'),
    figure(['not found', 'not found'], summary.notFound, 'quote-not-found'),
    figure(['uncited quotation', 'uncited quotations'], summary.uncitedQuotations, 'quote-uncited'),
    figure(['uncited claim', 'uncited claims'], summary.uncitedClaims, 'claims'),
    figure(['unsupported claim', 'unsupported claims'], summary.unsupportedClaims, 'claims'),
    summary.unknownSources > 0 ? figure(['citation of an unknown source', 'citations of unknown sources'], summary.unknownSources, 'quote-not-found') : '',
    '</section>',
  ].join('\n');
}

/** The page's only style, allowed by its hash: the policy admits nothing else. */
const STYLE_HASH = `sha256-${createHash('sha256').update(REPORT_STYLE, 'utf8').digest('base64')}`;

/** No scripts, frames, images, fonts, forms or connections: the page shows its own text and its own style. */
export const REPORT_POLICY = `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

export interface ReportOptions {
  /** What the notes were checked against, named in the heading (a folder). */
  readonly corpus?: string;
}

/**
 * The verification report: one self-contained HTML page — inline style allowed by its hash, no script, every
 * piece of note and source text escaped — that reads without JavaScript and prints. Pure: same results, same page.
 */
export function verificationReport(notes: readonly ReportNote[], options: ReportOptions = {}): string {
  const summary = summarize(notes);
  const title = `Verification report: ${notes.length} ${notes.length === 1 ? 'note' : 'notes'}`;
  const contents = notes.map((n, i) => `<li><a href="#note-${i + 1}">${escapeHtml(n.path)}</a> <span class="count">${n.result.judged.length}</span></li>`).join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_POLICY)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header class="page"><h1>${escapeHtml(title)}</h1>${options.corpus ? `<p>Corpus: <code>${escapeHtml(options.corpus)}</code></p>` : ''}</header>`,
    summaryBlock(summary),
    '<p class="legend">In each quotation: <mark>matched words</mark>, <del>the note’s words that the source does not have</del>, <ins>the source’s words that the note does not give</ins>. Close a group to hide it.</p>',
    notes.length > 1 ? `<nav aria-label="Notes"><ol>${contents}</ol></nav>` : '',
    '<main>',
    ...notes.map(noteSection),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
