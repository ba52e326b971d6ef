import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { describePlace } from './describe.js';
import { MIN_QUOTATION_WORDS, type JudgedQuotation } from './judgements.js';
import { rangeOf, report, type DiagnosticData } from './report.js';
import type { ClaimTagger } from '../claims/detect.js';
import type { Source } from '../corpus/corpus.js';
import type { Judgement, SourcePlace } from '../match/judge.js';
import type { NoteBlock, NoteQuotation } from '../note/analyze.js';
import type { Span } from '../note/citations.js';
import { findQuotedSpans, type QuotedSpan } from '../note/quotes.js';
import { sentenceStarts } from '../note/sentences.js';
import { clauseEndName, readsAsEnglish, sameSpeaker, SpeakerReader, type Speaker } from '../speech/speakers.js';

/**
 * The places of a quotation whose words are the source's (word for word, or by the conventions); nothing for
 * any other verdict, or for a scare quote of fewer than three words. The one place this check reads a judgement.
 */
function exactPlaces(judgement: Judgement): readonly SourcePlace[] {
  if (judgement.wordCount < MIN_QUOTATION_WORDS) return [];
  return judgement.verdict === 'verbatim' || judgement.verdict === 'convention' ? judgement.places : [];
}

/** Who the note says spoke: a name, where it stands in the note, and whether it stands inside a citation. */
interface NoteSpeaker {
  readonly text: string;
  readonly span: Span;
  /** A narrative citation (`@korybko2021 writes`) names the source's author; it is not to be replaced. */
  readonly inCitation: boolean;
  /** Whether the name opens its sentence (a replacement by a description is capitalised). */
  readonly opensSentence: boolean;
}

/** Who the source says spoke the words, and whether they stand between its quotation marks. */
interface SourceSpeaker {
  readonly speaker: Speaker;
  readonly quoted: boolean;
}

const ATTRIBUTION_DASH = /^[\s>]*(?:--|[—–―])\s*/u;
const ENDS_CLAUSE = /[,?!…]$/u;

/** The family names of a source's authors (bibliography or document metadata). */
function authorsOf(source: Source): string[] {
  const families = (source.item?.author ?? []).map((a) => a.family ?? a.literal ?? '').filter((f) => f.length > 0);
  return families.length > 0 ? families : (source.metadata?.authors ?? []);
}

/** The block's prose with citations blanked, narrative ones written as their author's name, and other quotations' words blanked. */
function readableProse(block: NoteBlock, own: number, authorOf: (key: string) => string | undefined): { text: string; citationSpans: Span[] } {
  const chars = block.prose.text.split('');
  const narrative: Span[] = [];
  block.citations.forEach((citation, i) => {
    const span = block.citationSpans[i];
    chars.fill(' ', span.start, span.end);
    const author = citation.kind === 'narrative' ? authorOf(citation.items[0]?.key ?? '') : undefined;
    if (!author || author.length > span.end - span.start) return;
    chars.splice(span.start, author.length, ...author.split(''));
    narrative.push({ start: span.start, end: span.start + author.length });
  });
  block.quotationSpans.forEach((q, i) => {
    if (i === own) return;
    for (let k = q.start + 1; k < q.end - 1; k++) if (/[\p{L}\p{N}]/u.test(chars[k])) chars[k] = ' ';
  });
  return { text: chars.join(''), citationSpans: narrative };
}

function sentenceOf(sentences: readonly Span[], at: number, length: number): Span {
  return sentences.find((s) => s.start <= at && at < s.end) ?? { start: 0, end: length };
}

/** The speaker the note names for an inline quotation in one of its prose blocks. */
function inlineSpeaker(reader: SpeakerReader, block: NoteBlock, index: number, authorOf: (key: string) => string | undefined): NoteSpeaker | undefined {
  const { text, citationSpans } = readableProse(block, index, authorOf);
  const quote = block.quotationSpans[index];
  const sentence = sentenceOf(block.sentences, quote.start, text.length);
  const inner = text.slice(quote.start + 1, quote.end - 1).trim();
  const after = text.slice(quote.end, sentence.end);
  if (!reader.mayName(text.slice(sentence.start, quote.start) + after)) return undefined;
  const clauseAfter = ENDS_CLAUSE.test(inner) || /^\s*[,—–]/u.test(after);
  // A sentence the English parse cannot read names its speaker by typography alone (`«…», — пишет Иванов`).
  const found = !readsAsEnglish(text.slice(sentence.start, quote.start) + after)
    ? clauseAfter
      ? clauseEndName(text, quote.end, sentence.end)
      : undefined
    : reader.before(text, sentence.start, quote.start) ??
      (clauseAfter ? reader.after(text, quote.end, sentence.end) : undefined) ??
      reader.accordingTo(text, sentence.start, quote.start) ??
      reader.accordingTo(text, quote.end, sentence.end);
  // Only a person's name is compared: a group (`the Pentagon`) is spoken for by many.
  if (!found || found === 'pronoun' || found.kind !== 'named') return undefined;
  const inCitation = citationSpans.some((c) => c.start <= found.start && found.end <= c.end);
  const span = inCitation ? block.citationSpans.find((c) => c.start <= found.start && found.end <= c.end) ?? found : found;
  return {
    text: found.text,
    span: { start: block.prose.documentStart(span.start), end: block.prose.documentEnd(span.end) },
    inCitation,
    opensSentence: text.slice(sentence.start, found.start).trim() === '',
  };
}

/** The name on a blockquote's attribution line (`— Zamir Kabulov [@suchkov2021, ¶ 9]`). */
function attributionSpeaker(reader: SpeakerReader, document: string, judged: JudgedQuotation): NoteSpeaker | undefined {
  const citation = judged.quotation.citation;
  if (!citation || citation.start < judged.quotation.span.end) return undefined;
  const lineStart = document.lastIndexOf('\n', citation.start - 1) + 1;
  const dash = ATTRIBUTION_DASH.exec(document.slice(lineStart, citation.start));
  if (!dash) return undefined;
  const found = reader.nameRun(document, lineStart + dash[0].length, citation.start);
  if (!found) return undefined;
  return { text: found.text, span: { start: found.start, end: found.end }, inCitation: false, opensSentence: true };
}

/** The name in a table row's speaker cell (a column headed `Speaker`, `Who` or `Said by`). */
function cellSpeaker(reader: SpeakerReader, document: string, quotation: NoteQuotation): NoteSpeaker | undefined {
  const cell = quotation.speakerCell;
  if (!cell) return undefined;
  const found = reader.named(document, cell.start, cell.end);
  // Only a person's name is compared, as in prose.
  if (!found || found === 'pronoun' || found.kind !== 'named') return undefined;
  return { text: found.text, span: { start: found.start, end: found.end }, inCitation: false, opensSentence: true };
}

/** Sentence bounds of a source paragraph, in file offsets. */
function sentencesOf(text: string, start: number, end: number): Span[] {
  const starts = sentenceStarts(text.slice(start, end)).map((s) => start + s);
  if (starts.length === 0 || starts[0] > start) starts.unshift(start);
  return starts.map((s, i) => ({ start: s, end: starts[i + 1] ?? end }));
}

/** The source's quotation whose marks hold `[start, end)`, in file offsets. */
function enclosingQuotation(text: string, paragraph: Span, start: number, end: number): QuotedSpan | undefined {
  const spans = findQuotedSpans(text.slice(paragraph.start, paragraph.end));
  const q = spans.find((s) => paragraph.start + s.inner.start <= start && end <= paragraph.start + s.inner.end);
  return q && { open: paragraph.start + q.open, close: paragraph.start + q.close, inner: { start: paragraph.start + q.inner.start, end: paragraph.start + q.inner.end } };
}

/** Who the source gives the words at `place` to, if it says. */
function sourceSpeaker(reader: SpeakerReader, place: SourcePlace): SourceSpeaker | undefined {
  const { text, paragraphs } = place.source;
  const paragraph = paragraphs[place.paragraphs[0] - 1] as (typeof paragraphs)[number] | undefined;
  if (!paragraph) return undefined;
  const sentences = sentencesOf(text, paragraph.start, paragraph.end);
  const sentenceIndex = (at: number): number => Math.max(0, sentences.findIndex((s) => s.start <= at && at < s.end));
  const quotation = enclosingQuotation(text, paragraph, place.start, place.end);
  const at = quotation ? quotation.open : place.start;
  const index = sentenceIndex(at);
  const sentence = sentences[index];
  let found: Speaker | 'pronoun' | undefined;
  if (!readsAsEnglish(text.slice(paragraph.start, paragraph.end))) {
    // By typography alone: `«…», — говорит Анна Петровна`.
    if (quotation && /^[,\s]*[—–]|^,/u.test(text.slice(quotation.close + 1, quotation.close + 4))) found = clauseEndName(text, quotation.close + 1, paragraph.end);
    return found && found !== 'pronoun' ? { speaker: found, quoted: true } : undefined;
  }
  found = reader.before(text, sentence.start, at);
  if (!found && quotation) {
    const closing = sentences[sentenceIndex(quotation.close)];
    const inner = text.slice(quotation.inner.start, quotation.inner.end).trim();
    const tail = text.slice(quotation.close + 1, closing.end);
    if (ENDS_CLAUSE.test(inner) || /^\s*[,—–]/u.test(tail)) found = reader.after(text, quotation.close + 1, closing.end);
    found ??= reader.accordingTo(text, quotation.close + 1, closing.end) ?? reader.accordingTo(text, sentence.start, at);
    // A quotation that opens its sentence with no clause of its own continues the speaker before it.
    if (!found && text.slice(sentence.start, quotation.open).trim() === '' && index > 0) found = 'pronoun';
  }
  // A pronoun's speaker is named just before: earlier in the sentence, or in the one before it.
  if (found === 'pronoun') found = reader.lastSpeaker(text, sentence.start, at) ?? 'pronoun';
  if (found === 'pronoun') {
    const previous = index > 0 ? reader.lastSpeaker(text, sentences[index - 1].start, sentences[index - 1].end) : undefined;
    found = previous === 'pronoun' ? undefined : previous;
  }
  return found ? { speaker: found, quoted: quotation !== undefined } : undefined;
}

/** How many places' speakers a checker keeps. */
const SPEAKER_CACHE = 5000;

/**
 * Who the source gives the words at a place to, kept across units and checks: the reading is a pure function
 * of the source and the place, and the English parse it needs is slow.
 */
class SourceSpeakers {
  private readonly known = new Map<string, SourceSpeaker | null>();

  of(reader: SpeakerReader, place: SourcePlace): SourceSpeaker | undefined {
    const key = `${place.source.key}\u0000${place.start}:${place.end}`;
    let found = this.known.get(key);
    if (found === undefined) {
      found = sourceSpeaker(reader, place) ?? null;
      if (this.known.size >= SPEAKER_CACHE) this.known.delete(this.known.keys().next().value as string);
      this.known.set(key, found);
    }
    return found ?? undefined;
  }
}

/** The places the words are read at: those at the cited paragraphs, or all when none is (or none is cited). */
function placesToRead(judged: JudgedQuotation, places: readonly SourcePlace[]): readonly SourcePlace[] {
  const cited = new Set<number>();
  for (const item of judged.quotation.citation?.items ?? []) {
    if (item.locator?.kind === 'paragraph') for (const n of item.locator.paragraphs ?? []) cited.add(n);
  }
  const atCited = places.filter((p) => p.paragraphs.some((n) => cited.has(n)));
  return atCited.length > 0 ? atCited : places;
}

/**
 * Whether the source, giving the words to `source`, contradicts a note that gives them to `note`: a different
 * name; or, for the source's author, anyone the source quotes (their own report of another's words is theirs).
 */
function contradicts(note: NoteSpeaker, source: SourceSpeaker, authors: readonly string[]): boolean {
  if (sameSpeaker(note.text, source.speaker.text)) return false;
  if (authors.some((a) => sameSpeaker(note.text, a))) return source.quoted;
  // A group or a role may be spoken for by the person the note names: only two people's names contradict.
  return source.speaker.kind === 'named';
}

/** The note's name replaced by the source's: the surname alone for a surname, a description capitalised at a sentence's start. */
function replacementFor(note: NoteSpeaker, source: Speaker): string {
  const oneWord = !/\s/u.test(note.text.trim());
  const words = source.text.split(/\s+/u);
  // A surname for a surname; not in a script the parse does not read, where the last word may be a patronymic.
  const text = source.kind === 'named' && oneWord && /^\p{Lu}/u.test(words[0]) && readsAsEnglish(source.text) ? words[words.length - 1] : source.text;
  return note.opensSentence ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * `quote-misattributed`: the note says who spoke words that are the source's, and the source gives them to
 * someone else.
 */
export default function checkQuoteMisattributed(options: { tagger?: ClaimTagger } = {}) {
  const speakers = new SourceSpeakers();
  return (_tree: Root, file: VFile): void => {
    // Speakers are read with the English tagger; without one (the language server's first moments) this waits.
    const tagger = options.tagger?.parser;
    if (!tagger) return;
    const reader = new SpeakerReader(tagger);
    const noteReader = new SpeakerReader(tagger, true);
    const document = String(file.value);
    const blockOf = new Map<NoteQuotation, NoteBlock>();
    for (const block of file.data.verbatim?.blocks ?? []) for (const q of block.quotations) blockOf.set(q, block);
    for (const judged of file.data.judged ?? []) {
      const places = exactPlaces(judged.judgement);
      const citation = judged.quotation.citation;
      if (places.length === 0 || !citation) continue;
      const sources = new Map(places.map((p) => [p.source.key, p.source]));
      const authorOf = (key: string): string | undefined => {
        const source = sources.get(key);
        return source ? authorsOf(source)[0] : undefined;
      };
      const block = blockOf.get(judged.quotation);
      const note =
        (block ? inlineSpeaker(noteReader, block, block.quotations.indexOf(judged.quotation), authorOf) : judged.quotation.kind === 'block' ? attributionSpeaker(noteReader, document, judged) : undefined) ??
        cellSpeaker(noteReader, document, judged.quotation);
      if (!note) continue;
      const readings = placesToRead(judged, places).map((place) => ({ place, source: speakers.of(reader, place) }));
      // Every place the words may be read at must give them to someone else.
      if (readings.some((r) => !r.source || !contradicts(note, r.source, authorsOf(r.place.source)))) continue;
      const { place, source } = readings[0];
      if (!source) continue;
      const replacement = replacementFor(note, source.speaker);
      const data: DiagnosticData = {
        key: place.source.key,
        paragraphs: [...place.paragraphs],
        quotation: rangeOf(file, judged.quotation.span),
        fix: note.inCitation ? undefined : { title: `Replace "${note.text}" with "${replacement}"`, range: rangeOf(file, note.span), newText: replacement },
      };
      report(file, 'quote-misattributed', `The source gives these words to ${source.speaker.text}, not ${note.text} (${describePlace(place)})`, note.span, data);
    }
  };
}
