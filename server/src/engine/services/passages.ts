import type { Corpus, Source } from '../corpus/corpus.js';
import { checkNote } from '../check.js';
import { rankerFor } from '../claims/relevance.js';
import { locatorText } from '../checks/describe.js';
import { excerpt } from '../corpus/excerpt.js';
import { quickFixes } from '../fixes.js';
import { judgeQuotation, placesOf, type Judgement, type SourcePlace, type VerdictKind } from '../match/judge.js';
import type { Severity } from '../codes.js';
import { preferredPlace } from './navigation.js';

/** What the bibliography (or the document itself) says of a source. */
export interface SourceSummary {
  readonly key: string;
  readonly title?: string;
  readonly authors: readonly string[];
  readonly date?: string;
  readonly container?: string;
  readonly publisher?: string;
}

/** A place in a source, as a writer cites it and reads it. */
export interface PassageReport {
  readonly key: string;
  /** `¶ 6`, `¶¶ 9–10`, or the pages of a PDF: what goes after the key in a citation. */
  readonly locator: string;
  /** The citation that names the place: `[@key, ¶ 6]`. */
  readonly citation: string;
  /** The source's own words at the place (for a near match, the stretch the quotation stands for). */
  readonly words: string;
  /** The whole paragraph or paragraphs the place is in. */
  readonly passage: string;
  readonly source: SourceSummary;
}

export interface ProblemReport {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** What each quick fix would do, the repair first. */
  readonly fixes: readonly string[];
}

export interface Verification {
  /** The engine's verdict (see `VerdictKind`), or `unknown-source` when the key is not in the corpus. */
  readonly verdict: VerdictKind | 'unknown-source';
  /** Word for word (or by the conventions) in the cited source at the cited place, or, uncited, somewhere in the corpus. */
  readonly verified: boolean;
  /** What `verbatim check` would report on the quotation so cited. */
  readonly problems: readonly ProblemReport[];
  /** Where the words are, the cited place first: the place to cite. */
  readonly found?: PassageReport;
  /** For a near match: each change, in the quotation's words and the source's. */
  readonly changes?: readonly { quotation: string; source: string }[];
  /** For words in no source: the closest passage, if any is close at all. */
  readonly nearest?: PassageReport;
}

export interface FoundPassage extends PassageReport {
  /** `verbatim` or `convention`: the words are there; `changed`: close to them; `related`: shares their terms. */
  readonly match: 'verbatim' | 'convention' | 'changed' | 'related';
}

/** A key Pandoc reads whole after `@`: what may stand in a citation the tools build from it. */
const KEY = /^[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*$/u;

/** Characters that would make the words markdown rather than text inside the quotation the tools build. */
const MARKDOWN = /[\\`*_<$]/gu;

function summary(source: Source): SourceSummary {
  const meta = source.metadata;
  return { key: source.key, title: meta?.title, authors: meta?.authors ?? [], date: meta?.date, container: meta?.container, publisher: meta?.publisher };
}

function report(place: SourcePlace): PassageReport {
  const { source } = place;
  const locator = locatorText(place);
  const paragraphs = source.paragraphs.filter((p) => place.paragraphs.includes(p.number));
  return {
    key: source.key,
    locator,
    citation: `[@${source.key}, ${locator}]`,
    words: excerpt(source.text, place.start, place.end, source.format === 'markdown'),
    passage: paragraphs.map((p) => p.text).join('\n\n'),
    source: summary(source),
  };
}

/** Words as one line of plain text: white space runs are one space, as the matcher reads them anyway. */
function plainWords(words: string): string {
  const flat = words.replace(/\s+/gu, ' ').trim();
  if (flat === '') throw new Error('words is empty: give the quoted words');
  return flat;
}

/**
 * Checks quoted words against the corpus as `verbatim check` would check them in a note, cited to `key` at
 * `locator` (both optional): the words are put in a one-line note, `“words” [@key, locator]`, so the verdict,
 * the messages and the fixes are the checker's own. Without a key, the question is where the words are from.
 */
export function verifyQuotation(corpus: Corpus, words: string, key?: string, locator?: string): Verification {
  const flat = plainWords(words);
  if (key !== undefined && !KEY.test(key)) throw new Error(`"${key}" is not a citation key (letters, digits and _:.#$%&-+?<>~/, starting with a letter, digit or _)`);
  if (locator !== undefined && /[\][;@\r\n]/u.test(locator)) throw new Error(`"${locator}" is not a locator: write it as in a citation, e.g. "¶ 4", "paras. 4–6" or "p. 12"`);
  const citation = key === undefined ? '' : ` [@${key}${locator?.trim() ? `, ${locator.trim()}` : ''}]`;
  const note = `“${flat.replace(MARKDOWN, (c) => `\\${c}`)}”${citation}\n`;
  // A claim is not what is asked about; without a key, "no citation" is the question, not a problem.
  const result = checkNote(corpus, note, { severity: { 'claim-uncited': 'off', ...(key === undefined ? { 'quote-uncited': 'off' as const } : {}) } });
  const judged = result.judged[0];
  const judgement: Judgement = judged?.judgement ?? judgeQuotation(corpus, flat, undefined);
  const place = judged ? preferredPlace(judged) : placesOf(judgement)[0];
  const verdict = key !== undefined && !corpus.byKey.has(key) ? 'unknown-source' : judgement.verdict;
  const problems = result.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, fixes: quickFixes(d.data).map((f) => f.title) }));
  const exact = key === undefined ? verdict === 'found' : verdict === 'verbatim' || verdict === 'convention';
  return {
    verdict,
    verified: exact && problems.length === 0,
    problems,
    ...(place ? { found: report(place) } : {}),
    ...changesAndNearest(judgement),
  };
}

/** What a near match changed, or the nearest weak candidate of words not found: the parts of a verdict a reader acts on. */
function changesAndNearest(judgement: Judgement): Pick<Verification, 'changes' | 'nearest'> {
  switch (judgement.verdict) {
    case 'changed':
    case 'other-source-changed':
      return { changes: judgement.changes.map((c) => ({ quotation: c.quotation, source: c.source })) };
    case 'not-found':
      return judgement.nearest ? { nearest: report(judgement.nearest) } : {};
    case 'verbatim':
    case 'convention':
    case 'other-source':
    case 'found':
    case 'unfound':
      return {};
  }
}

/**
 * The source passages that best match some words, best first: where the words are word for word, else the
 * closest near match, then the paragraphs that share most of their terms (BM25, as for uncited claims).
 */
export function findPassages(corpus: Corpus, words: string, limit = 5): FoundPassage[] {
  const flat = plainWords(words);
  const found: FoundPassage[] = [];
  const seen = new Set<string>();
  const add = (passage: PassageReport, match: FoundPassage['match']): void => {
    const id = `${passage.key}\u0000${passage.locator}`;
    if (found.length >= limit || seen.has(id)) return;
    seen.add(id);
    found.push({ ...passage, match });
  };
  const anywhere = judgeQuotation(corpus, flat, corpus.sources.map((s) => s.key));
  if (anywhere.verdict === 'verbatim' || anywhere.verdict === 'convention' || anywhere.verdict === 'changed') {
    for (const place of placesOf(anywhere)) add(report(place), anywhere.verdict);
  }
  // The places already found may be among the ranked paragraphs: ask for as many more.
  for (const ranked of rankerFor(corpus).rank(flat, [], limit + found.length)) {
    const { source, paragraph } = ranked;
    add(report({ source, paragraphs: [paragraph.number], start: paragraph.start, end: paragraph.end }), 'related');
  }
  return found;
}
