import type Compromise from 'compromise';
import type { Term as ParsedTerm } from '../claims/detect.js';
import lexicalClasses from '../claims/lexical-classes.json';

/** Verbs whose first or second WordNet sense is one of communication (see scripts/make-lexical-classes.mjs). */
const SPEECH_VERBS: ReadonlySet<string> = new Set(lexicalClasses.speechVerbs);

/**
 * Who a text says spoke some words: the subject of a communication verb whose complement holds them
 * (`Lavrov said that …`, `Zakharova told reporters “…`), the reporting clause after a quotation (`“…,”
 * Zhirnov said`, `“…,” said Lavrov`), `according to X`, or — for a pronoun or a quotation with no clause of
 * its own — the speaker named just before, in the same or the previous sentence. The reading stands on
 * compromise's parse of English (parts of speech, verb lemmas, people, places and organisations) and on
 * WordNet's class of communication verbs; no list of names is involved.
 */

export type Tagger = typeof Compromise;

export interface Speaker {
  /**
   * `named`: a person by name; `group`: a group or an institution by name (`the Taliban`, `the US Department
   * of Defense`); `described`: by role only (`a high-ranking Taliban member`).
   */
  readonly kind: 'named' | 'group' | 'described';
  /** The words that name or describe the speaker, as written, titles left out of a name. */
  readonly text: string;
  /** Offsets of `text` in the text read. */
  readonly start: number;
  readonly end: number;
}

/** A term of compromise's parse, with offsets in the text read. */
interface Term {
  readonly text: string;
  readonly post: string;
  readonly pre: string;
  readonly tags: ReadonlySet<string>;
  readonly lemma: string;
  readonly start: number;
  readonly end: number;
}

/** A term with its place in the parsed text (`json({ terms: { offset: true } })`). */
interface RawTerm extends ParsedTerm {
  offset: { start: number; length: number };
}

/** Pronouns that stand for a speaker named before them (`It` and `we` do not). */
const PERSONAL_PRONOUNS = new Set(['he', 'she', 'they']);
/** Subordinators and coordinators end a subject read backwards from its verb. */
const CLAUSE_WORDS = new Set(['that', 'and', 'but', 'or', 'since', 'while', 'because', 'as', 'if', 'when', 'whereas', 'though', 'although', 'after', 'before', 'so', 'which', 'who']);
/** Words a complement may hold between its verb and the quoted words (`said that`, `quoted as saying`). */
const MAX_COMPLEMENT_TERMS = 6;
/** A clause after a quotation is read this far for its verb. */
const MAX_TAIL_TERMS = 14;
/** Phrases that name a speaker: `according to X`, `in the words of X`, `in X’s words`. */
const ACCORDING_TO = /\b(?:according to|in the words of)\s+|\b[Ii]n\s+(?=(?:\S+\s+){0,3}?\S+['’]s\s+(?:own\s+)?words\b)/giu;
const OPENING_MARK = /["“‘„‚«‹「『]/u;
const CLOSING_MARK = /["”’“»›」』]/u;
/** Tags of a name that is a place or an institution: the people who speak for it are not it. */
const PLACES = ['Place', 'Country', 'City', 'Region'];
const NOT_A_PERSON = [...PLACES, 'Organization'];

function termsOf(tagger: Tagger, text: string, base: number): Term[] {
  const doc = tagger(text);
  doc.compute('root');
  doc.compute('offset');
  const json = doc.json({ terms: { offset: true } }) as { terms: RawTerm[] }[];
  return json.flatMap((sentence) =>
    sentence.terms.map((t) => ({
      text: t.text,
      pre: t.pre,
      post: t.post,
      tags: new Set(t.tags),
      lemma: (t.root ?? t.normal).toLowerCase(),
      start: base + t.offset.start,
      end: base + t.offset.start + t.offset.length,
    })),
  );
}

function has(term: Term, ...tags: string[]): boolean {
  return tags.some((tag) => term.tags.has(tag));
}

function isCommunicationVerb(term: Term): boolean {
  return has(term, 'Verb') && !has(term, 'Auxiliary', 'Copula', 'Modal') && SPEECH_VERBS.has(term.lemma);
}

/** A capitalised word the parse reads as a proper noun or a person, or does not know at all. */
function isNameWord(term: Term, lexicon: Readonly<Record<string, unknown>>): boolean {
  if (!/^\p{Lu}/u.test(term.text)) return false;
  if (has(term, 'Pronoun', 'Determiner', 'Date', 'Value', 'Conjunction', 'Preposition', 'Verb', 'Adverb')) return false;
  if (has(term, 'ProperNoun', 'Person')) return true;
  return lexicon[term.text.toLowerCase().replace(/['’]s$/u, '')] === undefined && !has(term, 'Adjective');
}

const bareWord = (text: string): string => text.replace(/['’]s$/u, '').replace(/[.,;:]+$/u, '');

/** A run of name words, with what the parse says of it. */
interface NameRun {
  terms: Term[];
  possessive: boolean;
  /** Followed by a common noun it modifies (`Taliban member`, `Foreign Ministry spokesperson`). */
  modifier: boolean;
}

/** Name runs of a stretch of terms: consecutive name words, cut at punctuation and after a possessive. */
function nameRuns(terms: readonly Term[], lexicon: Readonly<Record<string, unknown>>): NameRun[] {
  const runs: NameRun[] = [];
  let current: Term[] = [];
  const close = (next: Term | undefined): void => {
    if (current.length === 0) return;
    const last = current[current.length - 1];
    const possessive = has(last, 'Possessive') || /['’]s$/u.test(last.text);
    const modifier = !possessive && !/[,;:]/u.test(last.post) && next !== undefined && has(next, 'Noun') && !isNameWord(next, lexicon) && !has(next, 'Pronoun');
    runs.push({ terms: current, possessive, modifier });
    current = [];
  };
  terms.forEach((term, i) => {
    // A place stands apart from the name beside it (`Envoy to Afghanistan Kabulov`).
    if (isNameWord(term, lexicon) && has(term, ...PLACES) !== current.some((t) => has(t, ...PLACES))) close(term);
    if (isNameWord(term, lexicon)) {
      current.push(term);
      if (has(term, 'Possessive') || /['’]s$/u.test(term.text) || /[,;:()]/u.test(term.post)) close(terms[i + 1]);
    } else {
      close(term);
    }
  });
  close(undefined);
  return runs;
}

/** Whether a run names a person or a group, not a place or an institution. */
function namesSomeone(run: NameRun): boolean {
  return !run.terms.every((t) => has(t, ...NOT_A_PERSON));
}

/** Titles before a name (`Amb.`, `President`, `Ambassador`) are left out of it. */
function withoutTitles(terms: readonly Term[]): Term[] {
  let from = 0;
  while (from < terms.length - 1 && (has(terms[from], 'Honorific') || /\.$/u.test(terms[from].post.trim()) || /^(?:Ambassador|Envoy|Minister|Senator|Spokesman|Spokesperson|Mr|Mrs|Ms|Dr)$/u.test(terms[from].text))) from++;
  return terms.slice(from);
}

function named(terms: readonly Term[], text: string): Speaker {
  const kept = withoutTitles(terms);
  const start = kept[0].start;
  const last = kept[kept.length - 1];
  const end = /['’]s$/u.test(last.text) ? last.end - 2 : last.end;
  return { kind: 'named', text: text.slice(start, end), start, end };
}

/** A phrase from its first term to the end of `last`, as written, its first letter lower-cased (`the Taliban`). */
function phrase(kind: Speaker['kind'], first: Term, last: Term, text: string): Speaker {
  const end = /['’]s$/u.test(last.text) ? last.end - 2 : last.end;
  const raw = text.slice(first.start, end);
  return { kind, text: raw.charAt(0).toLowerCase() + raw.slice(1), start: first.start, end };
}

/** Splits terms at commas (appositives: `Alexander Baunov, a senior fellow …, instructed`). */
function segments(terms: readonly Term[]): Term[][] {
  const out: Term[][] = [[]];
  for (const term of terms) {
    out[out.length - 1].push(term);
    if (/,/u.test(term.post)) out.push([]);
  }
  return out.filter((s) => s.length > 0);
}

type Subject = Speaker | 'pronoun' | undefined;

/**
 * The speaker a subject's terms name: the first comma-separated part (a prepositional phrase aside) whose head
 * is a name; a pronoun; or, with no name, the description (`a high-ranking Taliban member`).
 */
function subjectOf(terms: readonly Term[], text: string, lexicon: Readonly<Record<string, unknown>>, possessorSpeaks = false): Subject {
  const parts = segments(terms).filter((s) => !has(s[0], 'Preposition'));
  for (const part of parts) {
    const runs = nameRuns(part, lexicon).filter((r) => namesSomeone(r) && !r.modifier && (possessorSpeaks || !r.possessive));
    const run = possessorSpeaks ? runs[0] : runs[runs.length - 1];
    if (!run) continue;
    // A name after `the` is a group's or an institution's: `the Taliban`, `the US Department of Defense`.
    if (/^the$/iu.test(part[0].text)) return phrase('group', part[0], run.terms[run.terms.length - 1], text);
    return named(run.terms, text);
  }
  const content = parts.flat();
  if (content.length === 1 && has(content[0], 'Pronoun')) return PERSONAL_PRONOUNS.has(content[0].text.toLowerCase()) ? 'pronoun' : undefined;
  const nouns = content.filter((t) => has(t, 'Noun') && !has(t, 'Pronoun'));
  // A described speaker is a person or a group in a role; a bare place or institution speaks through someone.
  if (nouns.length === 0 || nouns.every((t) => has(t, ...NOT_A_PERSON)) || content.length > 8) return undefined;
  return phrase('described', parts[0][0], parts[0][parts[0].length - 1], text);
}

/** The subject's terms read backwards from a verb: up to a clause boundary, a quotation mark or another verb. */
function subjectTerms(terms: readonly Term[], verb: number): Term[] {
  let i = verb - 1;
  while (i >= 0 && has(terms[i], 'Adverb', 'Auxiliary', 'Copula', 'Modal', 'Negative') && !/[,;:]/u.test(terms[i].post)) i--;
  const out: Term[] = [];
  for (; i >= 0; i--) {
    const term = terms[i];
    if (/[;:]/u.test(term.post) || CLOSING_MARK.test(term.post) || (has(term, 'Verb') && !has(term, 'Particle'))) break;
    if (CLAUSE_WORDS.has(term.text.toLowerCase()) && !/^\p{Lu}/u.test(term.text)) break;
    out.unshift(term);
    if (OPENING_MARK.test(term.pre)) break;
  }
  return out;
}

/** The nearest verb of communication among `terms`, looking back from the end over at most a complement's words. */
function verbBefore(terms: readonly Term[]): number | undefined {
  for (let i = terms.length - 1, seen = 0; i >= 0 && seen <= MAX_COMPLEMENT_TERMS; i--, seen++) {
    const term = terms[i];
    if (isCommunicationVerb(term)) return i;
    // Another finite verb between means the words belong to its clause, not to a verb of speech further back.
    if (has(term, 'Verb') && !has(term, 'Auxiliary', 'Copula', 'Modal', 'Gerund', 'Infinitive', 'Particle')) return undefined;
    if (/[;.!?]/u.test(term.post) && i < terms.length - 1) return undefined;
  }
  return undefined;
}

/** The terms after a verb up to its clause's end (a stop, or another verb). */
function clauseAfter(terms: readonly Term[], verb: number): Term[] {
  const rest: Term[] = [];
  for (const term of terms.slice(verb + 1)) {
    if (has(term, 'Verb')) break;
    rest.push(term);
    if (/[.;:!?]/u.test(term.post)) break;
  }
  return rest;
}

/** A participle after a comma (`…, adding that`): its subject is the clause's before it. */
function isParticiple(terms: readonly Term[], verb: number): boolean {
  return has(terms[verb], 'Gerund') && (verb === 0 || /,/u.test(terms[verb - 1].post));
}

/** A gerund after a preposition (`by calling on`, `in saying that`): it has no subject of its own. */
function isPrepositionalGerund(terms: readonly Term[], verb: number): boolean {
  return has(terms[verb], 'Gerund') && verb > 0 && has(terms[verb - 1], 'Preposition') && !/[,;:]/u.test(terms[verb - 1].post);
}

/**
 * The subject of the clause a gerund phrase hangs from (`Kabulov is hoping to … by calling on`): the subject of
 * the nearest finite verb before it in the same sentence, the verb group's auxiliaries and adverbs read as one.
 */
function clauseSubjectBefore(terms: readonly Term[], at: number): Term[] | undefined {
  for (let i = at - 1; i >= 0; i--) {
    const term = terms[i];
    if (/[;.!?]/u.test(term.post) || CLOSING_MARK.test(term.post)) return undefined;
    if (!has(term, 'Verb') || has(term, 'Particle', 'Infinitive') || /^to$/iu.test(terms[i - 1]?.text ?? '')) continue;
    // The verb group's first word: the subject stands before the auxiliaries (`is hoping`, `has been urging`).
    let first = i;
    while (first > 0 && has(terms[first - 1], 'Auxiliary', 'Copula', 'Modal', 'Adverb', 'Negative') && !/[,;:]/u.test(terms[first - 1].post)) first--;
    return subjectTerms(terms, first);
  }
  return undefined;
}

export class SpeakerReader {
  private readonly lexicon: Readonly<Record<string, unknown>>;

  /** Parses of stretches, by text and span: the tagger is slow, and a note's sentence is read more than once. */
  private readonly parses = new Map<string, Map<string, Term[]>>();

  /**
   * `strict` (for the note): a noun between the verb and the words, or after a verb that follows them, may
   * name who spoke (`quotes a member:`, `Korybko quotes a Taliban member as saying`), so the speaker is
   * unclear, except in `told reporters that`. A source's `told reporters in Moscow “…` keeps its subject.
   */
  constructor(
    private readonly tagger: Tagger,
    private readonly strict = false,
  ) {
    this.lexicon = (tagger.world() as { model: { one: { lexicon: Record<string, unknown> } } }).model.one.lexicon;
  }

  /** Whether a stretch may name someone: a capitalised word the lexicon does not know, or knows as a name. A cheap test before a parse. */
  mayName(text: string): boolean {
    for (const [word] of text.matchAll(/\p{Lu}[\p{L}\p{M}]*/gu)) {
      const known = this.lexicon[word.toLowerCase()];
      if (known === undefined || (typeof known === 'string' && /Name|Person|Honorific/u.test(known))) return true;
    }
    return false;
  }

  /** The parse of `text.slice(from, to)`, in offsets of `text`; only the words around a quotation are parsed, never its own. */
  private parse(text: string, from: number, to: number): Term[] {
    let byText = this.parses.get(text);
    if (!byText) this.parses.set(text, (byText = new Map<string, Term[]>()));
    const key = `${from}:${to}`;
    let terms = byText.get(key);
    if (!terms) byText.set(key, (terms = termsOf(this.tagger, text.slice(from, to), from)));
    return terms;
  }

  /**
   * The speaker of words that follow `text.slice(from, at)` in one sentence: the subject of the verb of
   * communication whose complement they begin (`Kabulov said that`, `He was also quoted as saying that “`).
   * `pronoun` when the subject is a personal pronoun, or a participle's (`…, adding that`) left unsaid.
   */
  before(text: string, from: number, at: number): Subject {
    const terms = this.parse(text, from, at);
    const verb = verbBefore(terms);
    if (verb === undefined) return undefined;
    // A name between the verb and the words is its object (`quotes Lavrov:`, `told Ghani`): who spoke is unclear.
    const object = terms.slice(verb + 1);
    if (nameRuns(object, this.lexicon).some((r) => namesSomeone(r) && !r.possessive)) return undefined;
    if (this.strict && object.some((t) => has(t, 'Noun')) && !/^that$/iu.test(object.at(-1)?.text ?? '')) return undefined;
    if (isParticiple(terms, verb)) return 'pronoun';
    if (isPrepositionalGerund(terms, verb)) {
      const subject = clauseSubjectBefore(terms, verb - 1);
      return subject ? subjectOf(subject, text, this.lexicon) : undefined;
    }
    return subjectOf(subjectTerms(terms, verb), text, this.lexicon);
  }

  /**
   * The reporting clause right after a quotation, `text.slice(at, to)`: `, Zhirnov said`, `, said Lavrov`,
   * `, the spokesperson for the Foreign Ministry, Maria Zakharova, explained`. The caller makes sure the
   * quotation ends with a comma (or `?`, `!`) or is followed by one or by a dash.
   */
  after(text: string, at: number, to: number): Subject {
    const terms = this.parse(text, at, to).slice(0, MAX_TAIL_TERMS);
    const verb = terms.findIndex((t) => isCommunicationVerb(t));
    if (verb < 0) return undefined;
    const before = terms.slice(0, verb).filter((t) => !has(t, 'Adverb', 'Auxiliary', 'Negative'));
    if (before.length === 0) {
      // `, said Lavrov`: the subject follows its verb, up to the clause's end.
      return subjectOf(clauseAfter(terms, verb), text, this.lexicon);
    }
    if (this.strict && clauseAfter(terms, verb).some((t) => has(t, 'Noun'))) return undefined;
    return subjectOf(subjectTerms(terms, verb), text, this.lexicon);
  }

  /**
   * `according to X`, `in the words of X`, `in X’s words` in `text.slice(from, to)`: X, or the person whose
   * words X names (`according to Foreign Minister Lavrov’s earlier words`).
   */
  accordingTo(text: string, from: number, to: number): Subject {
    const found = [...text.slice(from, to).matchAll(ACCORDING_TO)].pop();
    if (!found) return undefined;
    const start = from + found.index + found[0].length;
    const phrase: Term[] = [];
    for (const term of this.parse(text, start, to)) {
      if (phrase.length > 0 && OPENING_MARK.test(term.pre)) break;
      phrase.push(term);
      if (/[,.;:!?()]/u.test(term.post) || OPENING_MARK.test(term.post) || CLOSING_MARK.test(term.post)) break;
    }
    return subjectOf(phrase, text, this.lexicon, true);
  }

  /**
   * The last speaker `text.slice(from, to)` names as the subject of a verb of communication, for a pronoun or
   * a participle after it; `pronoun` when that subject is a pronoun itself.
   */
  lastSpeaker(text: string, from: number, to: number): Subject {
    const terms = this.parse(text, from, to);
    for (let i = terms.length - 1; i >= 0; i--) {
      if (!isCommunicationVerb(terms[i]) || isParticiple(terms, i)) continue;
      const subject = subjectOf(subjectTerms(terms, i), text, this.lexicon);
      if (subject) return subject;
    }
    return undefined;
  }

  /** Who a stretch that is only a name or a description names (a table's speaker cell: `Zamir Kabulov`, `the Taliban`). */
  named(text: string, from: number, to: number): Subject {
    return subjectOf(this.parse(text, from, to), text, this.lexicon);
  }

  /** The last name a stretch of text holds, by the parse (a note’s attribution line: `— Zamir Kabulov`). */
  nameRun(text: string, from: number, to: number): Speaker | undefined {
    const terms = this.parse(text, from, to);
    const runs = nameRuns(terms, this.lexicon).filter(namesSomeone);
    const run = runs[runs.length - 1] as NameRun | undefined;
    return run ? named(run.terms, text) : undefined;
  }
}

/** The word a name is matched by: its last word (the surname), possessive and case aside, in its own script. */
function surnameOf(name: string): string {
  const words = name.normalize('NFC').match(/[\p{L}\p{M}'’-]+/gu) ?? [];
  return bareWord(words[words.length - 1] ?? '').toLocaleLowerCase();
}

/** Whether two names name the same person: the surname of one is a word of the other. */
export function sameSpeaker(a: string, b: string): boolean {
  const words = (name: string): string[] => (name.normalize('NFC').match(/[\p{L}\p{M}'’-]+/gu) ?? []).map((w) => bareWord(w).toLocaleLowerCase());
  return words(b).includes(surnameOf(a)) || words(a).includes(surnameOf(b));
}

/** Whether a stretch is mostly in the Latin script, which the English parse can read. */
export function readsAsEnglish(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return letters > 0 && latin * 2 > letters;
}

/**
 * A reporting clause after a quotation in a script the English parse does not read (`«…», — говорит
 * пенсионерка Анна Петровна.`): by the typography alone, the capitalised words that end the clause name the
 * speaker.
 */
export function clauseEndName(text: string, at: number, to: number): Speaker | undefined {
  const clause = text.slice(at, to);
  const stop = clause.search(/[.;!?…«“"„]/u);
  const words = [...clause.slice(0, stop < 0 ? clause.length : stop).matchAll(/[\p{L}\p{M}'’-]+/gu)];
  let first = words.length;
  while (first > 0 && /^\p{Lu}/u.test(words[first - 1][0])) first--;
  if (first === words.length) return undefined;
  const start = at + words[first].index;
  const last = words[words.length - 1];
  const end = at + last.index + last[0].length;
  return { kind: 'named', text: text.slice(start, end), start, end };
}
