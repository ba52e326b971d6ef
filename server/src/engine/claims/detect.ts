import type Compromise from 'compromise';
import lexicalClasses from './lexical-classes.json';

type Nlp = typeof Compromise;
type NlpDocument = ReturnType<Nlp>;

/**
 * Is a sentence a checkable claim — something a reader could verify — or the
 * writer's own voice? The rules are few and explainable: each signal adds a
 * weight and a reason the diagnostic can quote; the writer's voice (opinion,
 * questions, signposting, definitions, plans, instructions, hypotheticals)
 * vetoes; hedges lower the score. The sentence's main clause — its subject and
 * finite verb — is read from compromise's tags: who does what, and whether the
 * writer, a third party, or nobody (an imperative) is speaking. The rules lean
 * towards silence: a false flag on the writer's own reasoning costs more trust
 * than a missed claim.
 */

export type Sensitivity = 'low' | 'medium' | 'high';

export interface ClaimSignal {
  readonly kind: 'figure' | 'date' | 'reported-speech' | 'named-action' | 'action' | 'superlative' | 'causal' | 'named';
  /** The words that carry the signal, as written. */
  readonly evidence: string;
  readonly weight: number;
  /** For an action, who acts (or, in the passive, undergoes it) as the words read inside a sentence: `former president Karzai`. */
  readonly subject?: string;
  /** For an action, whether the subject undergoes it (`The embassy was closed`). */
  readonly passive?: boolean;
}

export interface ClaimAssessment {
  readonly isClaim: boolean;
  readonly score: number;
  readonly signals: readonly ClaimSignal[];
  /** Why the sentence is the writer's own voice, when it is. */
  readonly veto?: string;
  /** Words that carry the claim (names, figures, dates), for finding supporting passages. */
  readonly keyTerms: readonly string[];
}

const THRESHOLD: Record<Sensitivity, number> = { low: 3, medium: 2, high: 1.5 };

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\.?';
const WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const DATE_PATTERNS: RegExp[] = [
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)? ${MONTH}(?: \\d{4})?\\b`, 'u'),
  new RegExp(`\\b${MONTH} \\d{1,2}(?:st|nd|rd|th)?(?:, \\d{4})?\\b`, 'u'),
  new RegExp(`\\b(?:in|since|by|until|from|early|late|mid-?)\\s+${MONTH}(?:,? \\d{4})?\\b`, 'iu'),
  new RegExp(`\\b(?:on|last|this|next)\\s+${WEEKDAY}\\b`, 'u'),
  /\b(?:1[5-9]|20)\d{2}s?\b/u,
  /\b(?:last|this|next|previous|past) (?:week|month|year|decade|century)\b/iu,
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/u,
];
const FIGURE_WORDS = /\b(?:half|twice|thrice|a third|a quarter|a fifth|a tenth|two[- ]thirds|three[- ]quarters|dozens?|hundreds|thousands|millions|billions|tens of thousands|a majority|most of|percent|per cent|doubled|tripled|trebled|halved)\b/iu;
const NUMBER_WORD = '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion)';
// A full stop or comma after the digits ends the sentence or clause: `in 2004.` states 2004.
const NUMBER = new RegExp(`(?<![\\p{L}\\d])\\d(?:[\\d,.]*\\d)?(?:\\s?%)?|\\b${NUMBER_WORD}\\b`, 'iu');
/** A number written as a word, and the word after it: `three questions`. */
const COUNTED = new RegExp(`\\b(${NUMBER_WORD}|both)\\s+(?:(?:further|more|main|other|broad|key|short|distinct|separate|related|different|basic)\\s+)?(\\p{L}+)`, 'giu');
/** Reported speech that no clause shows: `according to`, `reportedly`, and the reporting verbs of the first version. */
const REPORTING =
  /(?<![-\p{L}])(?:said|says|told|tells|announced|announces|claimed|claims|confirmed|confirms|reported|reports|reportedly|stated|states|declared|insisted|denied|denies|warned|warns|threatened|threatens|promised|promises|pledged|pledges|acknowledged|admitted|noted|notes|argued|argues|wrote|writes|tweeted|quoted|hinted|suggested|signalled|signaled|indicated|called|according to|in the words of)\b/iu;
/**
 * After `wrote`, what makes it writing a thing rather than reporting words: a direct object (`wrote the first
 * version of zpipe.c`, `writes a new compressor`), not a that-clause, a colon or comma before a quotation, a
 * preposition (`wrote on Facebook that`, `wrote to the minister`) or an adverb (`wrote recently that`).
 */
const WRITES_A_WORK =
  /^\s+(?!(?:that|to|in|on|about|of|back|from|for|with|at|how|what|why|whether|if|as|and|but|so|then|again|once|later|earlier)\b|\p{L}+ly\b)[\p{L}\p{N}]/iu;
const WRITING = /^(?:wrote|writes|write|written|writing)$/iu;
/** The writer reporting themselves (`As I said above`) is no one else's speech. */
const FIRST_PERSON_BEFORE = /\b(?:I|we|me|us)\s+(?:\p{L}+ly\s+)?$/iu;
const CAUSAL = /\b(?:because(?! I)|, so (?=the|a|an|it|they|he|she)|led to|leads to|caused|causes|as a result|due to|resulted in|results in|in response to|a response to|prompted|triggered|owing to|thanks to)\b/iu;
const SUPERLATIVE = /\b(?:the (?:most|least|only|first|last|largest|biggest|smallest|greatest|worst|best)|(?:most|least) \p{L}+ (?:in|of)\b)/iu;
const EVALUATIVE =
  /\b(?:reading|argument|piece|pieces|account|copy|analysis|interpretation|essay|article|guide|evidence|case|framing|summary|version)\b.*\b(?:too|shaky|poor|weak|neat|naive|generous|convincing|persuasive|plausible|implausible|misleading|balanced|even-handed|careful|reliable|unreliable|stretch(?:es|ed)?|overstate[sd]?|understate[sd]?)\b|\b(?:too|shaky|poor|weak|neat|naive|convincing|persuasive|plausible|misleading|balanced|even-handed|careful|reliable|unreliable)\b.*\b(?:reading|argument|piece|pieces|account|copy|analysis|interpretation|guide|evidence|case|framing)\b/iu;
/** Figures that count the writer's own sources (`the five pieces`) are framing, not facts. */
const SOURCE_COUNT = /\b(?:two|three|four|five|six|seven|both|\d)\s+(?:pieces|sources|articles|authors|readings|texts|accounts|notes)\b/giu;
const HEDGES = /\b(?:may|might|perhaps|possibly|could|seems?|appears?|likely|arguably|probably|presumably|conceivably|one could|it is possible)\b/giu;

/** The writer's own voice: these sentences are never claims to cite. */
const VETOES: { pattern: RegExp; why: string }[] = [
  { pattern: /\?\s*["”’)\]]*\s*$/u, why: 'a question' },
  {
    pattern:
      /\b(?:I|we) (?:think|believe|feel|find|suspect|doubt|suppose|guess|would (?:argue|say|suggest|not)|am not sure|wonder|hope|prefer)\b|\bin (?:my|our) (?:view|opinion|reading|judgement|judgment)\b|\b(?:seems|seemed) to (?:me|us)\b|\bstrikes (?:me|us)\b|\b(?:my|our) (?:sense|view|reading|guess|hunch) is\b|\bpersonally\b|\bto my mind\b|\bI(?:'m| am) (?:inclined|tempted)\b|\b(?:I|we) (?:am|are|'m|'re) (?:not )?(?:convinced|sure|persuaded|certain)\b|\b(?:I|we) (?:cannot|can't|could not|couldn't) (?:show|prove|say|tell|be sure)\b|^\s*(?:to put it (?:\p{L}+ly|simply|mildly)|put (?:\p{L}+ly|simply)|(?:frankly|bluntly|honestly|candidly|admittedly),|to be (?:fair|clear|blunt|honest|sure)|in a word)\b/iu,
    why: 'the writer’s own judgement',
  },
  {
    pattern:
      /\b(?:I|we) will (?:return|come back|turn|discuss|argue|show|look)\b|\blet(?: us|['’]s) (?:now )?(?:turn|look|consider|return|begin|start)\b|\b(?:the|this|next|previous|last|following) (?:section|chapter|note|notes|part)\b|\b(?:these|this|my|our) notes?\b|\bas (?:discussed|noted|shown|mentioned|argued|said|explained|described|seen) (?:above|below|earlier|before)\b|\bas (?:I|we) (?:have )?(?:said|noted|argued|showed|shown|mentioned|saw|seen|explained|described|suggested)\b|\b(?:below|above)\b(?!,? (?:the|a|an|its|their|his|her|\d))|^\s*(?:first|second|third|finally|next|in sum|to sum up|in short),? (?:a word|some words|let)\b|\bin what follows\b|^\s*what follows\b/iu,
    why: 'signposting',
  },
  {
    pattern:
      /\bby ["“‘]?[^"”’]+["”’]? (?:I|we) mean\b|\b(?:I|we) (?:use|take) ["“‘]|\brefers? to\b.*\b(?:in|throughout) (?:these|this|my)\b|\bin (?:these|this|my) notes?,? ["“‘]|\b(?:here|below),? ["“‘][^"”’]+["”’] (?:means|refers|stands)\b|\bis defined as\b|\bstands for\b|^\s*(?:here|throughout|below)\b,? ['"“‘]|^\s*(?:here|throughout)\b,? .*\b(?:is|are) used\b|['"”’] (?:and ['"“‘][^'"”’]+['"”’] )?(?:is|are) used (?:interchangeably|for|to mean)\b|\b(?:I|we) (?:will |shall )?(?:use|take|call|treat) .{1,60}\b(?:to mean|as meaning|to refer to|for short)\b|\bcounts? as\b.*\bif\b/iu,
    why: 'a definition of the note’s own terms',
  },
  { pattern: /^\s*(?:we|one) (?:should|must|need to|ought to|could|might|can)\b/iu, why: 'the writer’s own reasoning' },
  {
    pattern: /^\s*(?:if|unless|even if|suppose|supposing|imagine|assume|assuming|say)\b|^\s*(?:had|were|should) (?:the|a|an|this|that|these|those|it|they|he|she|we|I)\b|\b(?:would|could|might) have (?:been )?\p{L}+ed\b.*\bif\b|\bif\b.*\bhad\b.*\b(?:would|could|might)\b/iu,
    why: 'a hypothetical',
  },
  {
    pattern:
      /\b(?:is|are|was|were) (?:the most |the least |too |a |an |rather |quite |very )?(?:shaky|poor|weak|neat|naive|generous|convincing|persuasive|even-handed|balanced|reliable|unreliable|misleading|careful|sloppy|thoughtful|useful|helpful)\b/iu,
    why: 'the writer’s evaluation',
  },
];

const COPULAS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', "'s", 'am', 'seems', 'seem', 'remains', 'remain', 'become', 'becomes']);
/** The auxiliaries of a passive (`was charged`, `got arrested`). */
const BE_FORMS = /^(?:was|were|is|are|be|been|being|get|got)$/u;
/** Auxiliaries that take a participle: perfect (`had spread`) and passive (`was charged`). */
const PERFECT_OR_PASSIVE = /^(?:has|have|had|having|was|were|is|are|be|been|being)$/u;
/** Verbs too light to report speech though WordNet lists a communicating sense (`have`, `give`). */
const LIGHT_VERBS = new Set(['have', 'get', 'make', 'take', 'give', 'do', 'go', 'put', 'let', 'keep', 'offer', 'hold', 'set']);
const COPULA_ROOTS = new Set(['be', 'is', 'seem', 'remain', 'become', 'appear', 'look', 'sound', 'feel']);
/** Modals that put a clause in the conditional or hedge it: not an event the writer asserts. */
const CONDITIONAL_MODALS = new Set(['would', 'could', 'might', 'may', 'should', 'must', 'can', "'d"]);
const FIRST_PERSON = new Set(['i', 'we', 'me', 'us', 'my', 'our', 'myself', 'ourselves']);
const THIRD_PERSON = new Set(['he', 'she', 'they', 'it', 'his', 'her', 'their', 'its', 'them', 'him']);
const DEMONSTRATIVES = new Set(['this', 'that', 'these', 'those', 'what', 'which', 'who', 'here', 'there', 'one', 'neither', 'none', 'each', 'both', 'either', 'such', 'all', 'nothing', 'everything', 'something', 'anything']);

/** The parts of compromise's model that claim detection reads: its lexicon and its verb conjugation. */
interface VerbForms {
  toInfinitive: (word: string, model: unknown, tense: string) => string;
  conjugate: (infinitive: string, model: unknown) => { PastTense?: string; Participle?: string };
}
interface CompromiseWorld {
  model: { one: { lexicon: Record<string, string | undefined> } };
  methods: { two: { transform: { verb: VerbForms } } };
}

/** A term as compromise's `json()` gives it: the parse that claims and speakers are both read from. */
export interface Term {
  text: string;
  pre: string;
  post: string;
  tags: string[];
  normal: string;
  root?: string;
}

const clean = (text: string): string => text.replace(/[.,;:!?'’"“”)(]+$|^[("“‘']+|['’]s$/gu, '').trim();
const has = (term: Term | undefined, ...tags: string[]): boolean => term !== undefined && tags.some((t) => term.tags.includes(t));
const endsPhrase = (term: Term): boolean => /[,;:–—]/u.test(term.post);

/** The main clause's subject, by what it is. */
type SubjectKind = 'first-person' | 'name' | 'pronoun' | 'noun' | 'discourse' | 'demonstrative';

interface MainClause {
  /** The sentence opens with a bare verb (`Consider…`, `Check whether…`): an instruction to the reader. */
  readonly imperative: boolean;
  readonly subject?: { kind: SubjectKind; text: string; inSentence: string };
  readonly verb?: {
    text: string;
    /** The verb's dictionary form, with its particle (`point out`). */
    root: string;
    time: 'past' | 'present' | 'future' | 'conditional';
    copula: boolean;
    /** `was closed`: the subject undergoes the act (it is no speaker). */
    passive: boolean;
    /** The auxiliary before the main verb, as written (`was` in `was closed`); none when the group is negated. */
    auxiliary?: string;
    communication: boolean;
  };
}

/**
 * The English tagger, created once (compromise takes about 200 ms to set up)
 * and passed to whatever detects claims. Its lexical classes come from WordNet
 * (see scripts/make-lexical-classes.mjs): the verbs of communication, which
 * make a clause reported speech, and the nouns of thought and discourse, whose
 * counts (`three questions`) are the writer's framing.
 */
export class ClaimTagger {
  private readonly communicationVerbs = new Set(lexicalClasses.communicationVerbs);
  private readonly discourseNouns = new Set(lexicalClasses.discourseNouns);

  /** Words already read as verb forms: each costs a small parse of its own, and prose repeats its words. */
  private readonly pastForms = new Map<string, boolean>();
  private readonly bareVerbs = new Map<string, boolean>();
  private readonly lexicon: Record<string, string | undefined>;
  private readonly model: unknown;
  private readonly verbForms: VerbForms;

  private constructor(private readonly nlp: Nlp) {
    const world = nlp.world() as CompromiseWorld;
    this.lexicon = world.model.one.lexicon;
    this.model = world.model;
    this.verbForms = world.methods.two.transform.verb;
  }

  static async load(): Promise<ClaimTagger> {
    return new ClaimTagger((await import('compromise')).default);
  }

  /** The English parser itself, for checks that read sentences with the same parse (speakers, for `quote-misattributed`). */
  get parser(): Nlp {
    return this.nlp;
  }

  assess(sentence: string, sensitivity: Sensitivity = 'medium'): ClaimAssessment {
    const text = sentence.replace(/\s+/gu, ' ').trim();
    const doc = this.nlp(text);
    doc.compute('root');
    const names = this.namesIn(doc);
    // compromise reads `council's` as `council is` with an empty term: after a noun, it is a possessive.
    const terms = (doc.json() as { terms: Term[] }[])
      .flatMap((s) => s.terms)
      .filter((t, k, all) => t.text.trim() !== '' || !(has(all[k - 1], 'Noun') && !has(all[k - 1], 'Pronoun')));
    // Names the tagger does not know (`Zhirnov`) are key terms too: they find the passage that names them.
    const keyTerms: string[] = [...new Set([...names, ...terms.filter((t) => this.isName(t, names)).map((t) => clean(t.text))])];
    const vetoed = (why: string): ClaimAssessment => ({ isClaim: false, score: 0, signals: [], veto: why, keyTerms });
    for (const veto of VETOES) if (veto.pattern.test(text)) return vetoed(veto.why);
    const clause = this.mainClause(terms, names);
    if (clause.imperative) return vetoed('an instruction to the reader');
    if (clause.subject?.kind === 'first-person') return vetoed('the writer’s own plan or method');

    const signals: ClaimSignal[] = [];
    const date = DATE_PATTERNS.map((p) => p.exec(text)?.[0]).find((m): m is string => m !== undefined);
    if (date) {
      signals.push(signal('date', date, 2));
      keyTerms.push(date);
    }
    const figure = this.figureIn((date ? text.replace(date, ' ') : text).replace(SOURCE_COUNT, ' '));
    if (figure) {
      signals.push(signal('figure', figure, 2));
      keyTerms.push(figure);
    }
    const reporting = reportingIn(text);
    const { subject, verb } = clause;
    // Points and questions (`Three questions follow`) frame the writer's argument in the present; in the past (`The report found`) they are events.
    const thirdParty = subject !== undefined && subject.kind !== 'demonstrative' && (subject.kind !== 'discourse' || (verb?.time === 'past' && !verb.passive));
    signals.push(...this.actorSignals(terms, names, thirdParty ? clause : {}, reporting?.word));
    if (thirdParty && verb?.copula && verb.time === 'past') signals.push(signal('named', subject.text, 0.5));
    const superlative = SUPERLATIVE.exec(text)?.[0] ?? (doc.has('the #Superlative') ? doc.match('the #Superlative').text() : undefined);
    if (superlative) signals.push(signal('superlative', superlative, 1.5));
    const causal = CAUSAL.exec(text)?.[0];
    if (causal) signals.push(signal('causal', causal, 1.5));

    // A hedge inside reported speech (`hinted that Russia might…`) is the speaker's, not the writer's.
    const reportedAt = reporting ? reporting.at : verb?.communication && thirdParty ? text.indexOf(verb.text) : -1;
    const hedged = reportedAt >= 0 ? text.slice(0, reportedAt) : text;
    const hedges = hedged.match(HEDGES)?.length ?? 0;
    // Talk about the sources themselves (`the copy is a shaky guide`) is the writer weighing evidence.
    const evaluative = EVALUATIVE.test(text) ? 2 : 0;
    const score = signals.reduce((n, s) => n + s.weight, 0) - Math.min(2, hedges * 1.5) - evaluative;
    return { isClaim: score >= THRESHOLD[sensitivity], score, signals, keyTerms };
  }

  /**
   * Who said or did what: a reporting phrase, the main clause's third-party
   * subject with a verb of communication or of action, or a name acting
   * elsewhere in the sentence (`clause` is empty when its subject is no third
   * party).
   */
  private actorSignals(terms: readonly Term[], names: Set<string>, clause: Pick<MainClause, 'subject' | 'verb'>, reporting: string | undefined): ClaimSignal[] {
    const signals: ClaimSignal[] = [];
    const { subject, verb } = clause;
    const asserted = subject !== undefined && verb !== undefined && !verb.copula && verb.time !== 'conditional';
    if (reporting) signals.push(signal('reported-speech', reporting, 2));
    const action = namedAction(terms, (term) => this.isName(term, names));
    // The present tense with a common noun for subject is as often a general truth, or the tagger misreading a
    // noun for a verb (`Scare quotes like…`), as an event: it counts for less, whatever the verb.
    const weak = verb?.time === 'present' && subject?.kind === 'noun' && action?.verb !== verb.text;
    if (!reporting && asserted && verb.communication) signals.push(signal('reported-speech', verb.text, weak ? 1 : 2));
    if (action && !(reporting && REPORTING.test(action.verb)) && !signals.some((s) => s.kind === 'reported-speech' && s.evidence === action.verb)) {
      signals.push(actionSignal('named-action', { text: action.name, inSentence: action.inSentence }, action, 2));
    } else if (asserted && !verb.communication && !action) {
      // Something a third party did: a past event counts fully; the present tense is as often a general truth.
      const weight = weak || (verb.time !== 'past' && subject.kind !== 'name') ? 1 : 2;
      signals.push(actionSignal(subject.kind === 'name' ? 'named-action' : 'action', subject, { verb: verb.text, auxiliary: verb.auxiliary, passive: verb.passive }, weight));
    } else if (!action && names.size > 0) signals.push(signal('named', [...names][0], 0.5));
    return signals;
  }

  /** A figure, unless it counts the writer's own points and questions (`three questions follow`). */
  private figureIn(text: string): string | undefined {
    const framing = [...text.matchAll(COUNTED)].filter((m) => this.isDiscourseNoun(m[2]));
    let rest = text;
    for (const m of framing) rest = rest.replace(m[0], ' ');
    const figure = FIGURE_WORDS.exec(rest)?.[0] ?? NUMBER.exec(rest)?.[0];
    return figure && !/^one$/iu.test(figure.trim()) ? figure : undefined;
  }

  private isDiscourseNoun(word: string): boolean {
    const lower = word.toLowerCase();
    // WordNet lists lemmas: a plural is read back to its singular by the usual endings.
    const forms = [lower, lower.replace(/ies$/u, 'y'), lower.replace(/es$/u, ''), lower.replace(/s$/u, '')];
    return forms.some((form) => this.discourseNouns.has(form));
  }

  /** Proper names: people, places, organisations, acronyms, other proper nouns. */
  private namesIn(doc: NlpDocument): Set<string> {
    const names = [
      ...(doc.people().out('array') as string[]),
      ...(doc.places().out('array') as string[]),
      ...(doc.organizations().out('array') as string[]),
      ...(doc.match('#ProperNoun').out('array') as string[]),
      ...(doc.match('#Acronym').out('array') as string[]),
    ];
    // A name is written with a capital: `a fuller answer` names no Fuller.
    return new Set(names.flatMap((n) => n.split(/\s+/u)).map(clean).filter((n) => n.length > 1 && /^\p{Lu}/u.test(n) && !/^(?:I|The|A|An)$/u.test(n)));
  }

  /** A name the tagger knows, or a capitalised word the dictionary does not (`Lavrov`, `Kabulov`). */
  private isName(term: Term, names: Set<string>): boolean {
    const word = clean(term.text);
    if (names.has(word)) return true;
    return /^\p{Lu}/u.test(word) && this.lexicon[word.toLowerCase()] === undefined && !has(term, 'Pronoun', 'Determiner');
  }

  /** Whether a word can be a verb's bare form (`check`, `consider`, `compare`): the tagger reads it so after `you should`. */
  private isBareVerb(term: Term): boolean {
    if (has(term, 'Plural', 'ProperNoun', 'Pronoun', 'Determiner', 'Adjective', 'Value', 'PastTense', 'Gerund', 'Copula', 'Modal', 'Auxiliary', 'Preposition', 'Conjunction')) return false;
    if (has(term, 'Imperative', 'Infinitive')) return true;
    let known = this.bareVerbs.get(term.normal);
    if (known === undefined) this.bareVerbs.set(term.normal, (known = this.nlp(`you should ${term.normal} the`).has('^you should #Infinitive the$')));
    return known;
  }

  /**
   * The main clause: opening adverbs and adverbials set aside, an imperative
   * verb or a subject, then the verb group.
   */
  private mainClause(terms: readonly Term[], names: Set<string>): MainClause {
    const start = openingOf(terms);
    if (start >= terms.length) return { imperative: false };
    if (this.opensWithImperative(terms, start, names)) return { imperative: true };
    const found = this.subjectAt(terms, start, names);
    if (!found) return { imperative: false };
    const { head, headAt, from, to, verbAt } = found;
    const text = terms.slice(from, headAt + 1).map((t) => clean(t.text)).join(' ');
    const subject = { kind: this.subjectKind(terms.slice(from, to + 1), head, names), text, inSentence: asInSentence(text, terms[from], (term) => this.isName(term, names)) };
    return { imperative: false, subject, verb: this.verbGroupAt(terms, verbAt, head) };
  }

  /** A bare verb first, before a function word, and no finite verb of its own after it (`Concern about X led…` has one). */
  private opensWithImperative(terms: readonly Term[], at: number, names: Set<string>): boolean {
    const first = terms[at];
    const next = terms[at + 1] as Term | undefined;
    // `Okafor, the trust's director, …` is a name and its appositive: a comma after the first word makes it an imperative only when the tagger says so.
    const nextIsFunctionWord =
      !next ||
      (endsPhrase(first)
        ? has(first, 'Imperative', 'Infinitive')
        : has(next, 'Determiner', 'Conjunction', 'Preposition', 'Pronoun', 'Adverb', 'QuestionWord', 'Value', 'Possessive') || /^(?:that|whether|how|what|why|who|for)$/iu.test(next.normal));
    return this.isBareVerb(first) && nextIsFunctionWord && !names.has(clean(first.text)) && !finiteVerbAfter(terms, at + 1, (word) => this.isPastForm(word));
  }

  /**
   * The subject: a noun phrase, with any `of`/`in` phrases after its head, up
   * to the verb; an appositive or relative clause between commas is skipped
   * (`Okafor, the trust's director, defended…`). Where the verb group starts.
   */
  private subjectAt(terms: readonly Term[], at: number, names: Set<string>): { head: Term; headAt: number; from: number; to: number; verbAt: number } | undefined {
    let from = at;
    let head: Term | undefined;
    let headAt = -1;
    let to = -1;
    let inPhrase = false;
    let i = at;
    for (; i < terms.length; i++) {
      const term = terms[i];
      // A parenthesis or bracket inside the subject (`An email in brackets [contact: …]`) is no part of the clause.
      if (/[([]/u.test(term.pre)) {
        const close = terms.findIndex((t, k) => k >= i && /[)\]]/u.test(t.post));
        if (close >= 0) {
          i = close;
          continue;
        }
      }
      // A gerund or participle before a noun modifies it (`fishing quotas`); any other verb ends the subject.
      if (has(term, 'Verb') && !has(term, 'Noun') && !(has(term, 'Gerund', 'Participle') && has(terms[i + 1], 'Noun'))) {
        // `The firm disputed…`: the tagger took the noun before the verb for an adjective.
        if (!head && i > from && has(terms[i - 1], 'Adjective') && has(terms[i - 2], 'Determiner')) {
          head = terms[i - 1];
          headAt = i - 1;
        }
        break;
      }
      if (has(term, 'Determiner') && !has(terms[i - 1], 'Preposition') && i > from) {
        // `Last week the movement…`, `In 2019 the board…`: what came before was an adverbial.
        from = i;
        head = undefined;
        inPhrase = false;
      }
      if (has(term, 'Preposition')) inPhrase = true;
      else if (has(term, 'Noun', 'Pronoun', 'ProperNoun', 'Value') || this.isName(term, names)) {
        if (!inPhrase) {
          head = term;
          headAt = i;
        }
      } else if (!has(term, 'Adjective', 'Possessive', 'Adverb', 'Determiner', 'Conjunction', 'Negative', 'Gerund', 'Participle')) break;
      to = i;
      if (endsPhrase(term)) {
        const close = terms.findIndex((t, k) => k > i + 1 && k <= i + 14 && endsPhrase(t));
        i = head && close > 0 && has(terms[close + 1], 'Verb', 'Adverb', 'Auxiliary', 'Modal', 'Negative') ? close + 1 : i + 1;
        break;
      }
    }
    return head ? { head, headAt, from, to: Math.max(to, headAt), verbAt: i } : undefined;
  }

  /** The verb group from `at`: adverbs, negation and auxiliaries, then the main verb, with its time and class. */
  private verbGroupAt(terms: readonly Term[], at: number, head: Term): MainClause['verb'] {
    let time: 'past' | 'present' | 'future' | 'conditional' | undefined;
    let auxiliary: Term | undefined;
    let negated = false;
    for (let i = at; i < terms.length && i <= at + 6; i++) {
      const term = terms[i];
      const word = term.normal;
      if (isVerbModifier(term)) {
        negated ||= isNegation(term);
        continue;
      }
      if (has(term, 'Modal') || CONDITIONAL_MODALS.has(word)) {
        time ??= CONDITIONAL_MODALS.has(word) ? 'conditional' : 'future';
        auxiliary = term;
        continue;
      }
      const participle = auxiliary !== undefined && PERFECT_OR_PASSIVE.test(auxiliary.normal) && this.isParticiple(term, auxiliary.normal);
      if (!participle && !has(term, 'Verb', 'Auxiliary', 'Copula')) break;
      let following = i + 1;
      while (following < terms.length && isVerbModifier(terms[following])) following++;
      const after = terms[following] as Term | undefined;
      const isAuxiliary =
        !participle &&
        (has(term, 'Auxiliary') || (/^(?:did|does|do)$/u.test(word) && has(after, 'Verb')) || (PERFECT_OR_PASSIVE.test(word) && after !== undefined && this.isParticiple(after, word)));
      if (isAuxiliary) {
        time ??= /^(?:had|was|were|did|has|have)$/u.test(word) ? 'past' : undefined;
        auxiliary = term;
        continue;
      }
      const passive = participle && BE_FORMS.test(auxiliary?.normal ?? '');
      const root = (term.root ?? word).toLowerCase();
      const particle = has(terms[i + 1], 'Particle') ? ` ${terms[i + 1].normal}` : '';
      const copula = !participle && (has(term, 'Copula') || COPULAS.has(word) || COPULA_ROOTS.has(root));
      // `The regulator set…`: a singular subject with a verb not ending in -s is in the past tense.
      const singular = has(head, 'Singular') || /^(?:he|she|it)$/u.test(head.normal);
      const bare = has(term, 'PresentTense') && !/s$/u.test(word) && !copula && this.isPastForm(word);
      // A participle takes its time from the auxiliary: `is ignored` is present, `was closed` and `has gone` past.
      time ??= participle ? (/^(?:is|are|be|being|am)$/u.test(auxiliary?.normal ?? '') ? 'present' : 'past') : has(term, 'PastTense') || (singular && bare) ? 'past' : 'present';
      const communication =
        !copula && !passive && !LIGHT_VERBS.has(root) && (this.communicationVerbs.has(root + particle) || this.communicationVerbs.has(root)) && !writesAWork(terms, i);
      // A negated verb group's auxiliary is not shown: `has not arrested` must not read `has arrested`.
      return { text: clean(term.text) + particle, root: root + particle, time, copula, passive, communication, auxiliary: auxiliary && !negated ? clean(auxiliary.text) : undefined };
    }
    if (auxiliary && has(auxiliary, 'Copula')) return { text: clean(auxiliary.text), root: 'be', time: time ?? 'present', copula: true, passive: false, communication: false };
    return undefined;
  }

  /**
   * Whether a word after `had` or `was` is a participle (`had spread`, `was
   * charged`): the tagger sometimes reads these as a noun or an adjective, so
   * the word's form is checked against the verb's conjugation.
   */
  private isParticiple(term: Term, auxiliary: string): boolean {
    if (has(term, 'Determiner', 'Pronoun', 'Possessive', 'Value', 'Plural', 'Preposition', 'Gerund', 'Copula', 'Auxiliary')) return false;
    if (has(term, 'Verb')) return has(term, 'PastTense', 'Participle') || /^(?:has|have|had)$/u.test(auxiliary);
    return /^\p{Ll}+$/u.test(term.normal) && this.isPastForm(term.normal);
  }

  /**
   * Whether a word is a verb's past form by compromise's own conjugation
   * (`charged`, `spread`; not `worth`, `vivid`): its infinitive must read as a
   * verb (`to charge`), and conjugating that infinitive must give the word back.
   */
  private isPastForm(word: string): boolean {
    let known = this.pastForms.get(word);
    if (known === undefined) this.pastForms.set(word, (known = this.readsAsPastForm(word)));
    return known;
  }

  private readsAsPastForm(word: string): boolean {
    const { toInfinitive, conjugate } = this.verbForms;
    const infinitive = toInfinitive(word, this.model, 'PastTense');
    if (!this.nlp(`to ${infinitive}`).has('^to #Infinitive$')) return false;
    const forms = conjugate(infinitive, this.model);
    return forms.PastTense === word || forms.Participle === word;
  }

  private subjectKind(phrase: readonly Term[], head: Term, names: Set<string>): SubjectKind {
    const words = phrase.map((t) => t.normal.replace(/['’]s$/u, ''));
    // `US` and `U.S.` are a country, not `us`.
    if (phrase.some((t) => FIRST_PERSON.has(t.normal) && !/^U\.?S\.?$/u.test(clean(t.text)) && has(t, 'Pronoun', 'Possessive', 'Determiner', 'Noun'))) return 'first-person';
    const word = head.normal.replace(/['’]s$/u, '');
    if (THIRD_PERSON.has(word)) return 'pronoun';
    if (DEMONSTRATIVES.has(word) || (words.length > 0 && /^(?:this|these|that|those|such)$/u.test(words[0]) && this.isDiscourseNoun(word))) return 'demonstrative';
    if (this.isName(head, names) || has(head, 'ProperNoun')) return 'name';
    if (this.isDiscourseNoun(word)) return 'discourse';
    return 'noun';
  }
}

const signal = (kind: ClaimSignal['kind'], evidence: string, weight: number): ClaimSignal => ({ kind, evidence: evidence.trim(), weight });

/** An action's signal: its subject and verb as the evidence, with the auxiliary of a passive or perfect (`The library was released`, not `The library released`). */
function actionSignal(
  kind: 'named-action' | 'action',
  subject: { text: string; inSentence: string },
  verb: { verb: string; auxiliary?: string; passive: boolean },
  weight: number,
): ClaimSignal {
  // Other auxiliaries stay out: `did not respond` is no `did respond`, and negation is not part of the evidence.
  const shown = verb.auxiliary !== undefined && (verb.passive || /^(?:has|have|had)$/iu.test(verb.auxiliary));
  const words = shown ? `${verb.auxiliary} ${verb.verb}` : verb.verb;
  return { ...signal(kind, `${subject.text} ${words}`, weight), subject: subject.inSentence, passive: verb.passive };
}

/**
 * A subject as it reads inside another sentence: a first word capitalised only because it opens the sentence
 * (`The`, `Former`, `Output`) is lowered; a name, a demonym or an acronym (`Russian`, `EU`) keeps its capital.
 */
function asInSentence(phrase: string, first: Term | undefined, isName: (term: Term) => boolean): string {
  if (!first || has(first, 'ProperNoun', 'Demonym', 'Person', 'Place', 'Organization', 'Acronym')) return phrase;
  if (!has(first, 'Determiner', 'Adjective', 'Noun', 'Pronoun', 'Possessive', 'Value') || (has(first, 'Adjective', 'Noun') && isName(first))) return phrase;
  return phrase.replace(/^\p{Lu}(?=\p{Ll}|\s|$)/u, (c) => c.toLowerCase());
}

const isNegation = (term: Term): boolean => has(term, 'Negative') || /^(?:not|never|n't)$/u.test(term.normal);

/** Adverbs and negation inside a verb group (`has since stopped`, `later refused`, `did not respond`). */
function isVerbModifier(term: Term): boolean {
  return has(term, 'Adverb', 'Negative') || /^(?:later|earlier|soon|then|since|also|never|once|already|still|just|now|first|quickly|quietly)$/u.test(term.normal);
}

/** Where the main clause starts: past opening adverbs (`Frankly,`) and an opening adverbial up to its comma (`In 2019,`, `When the dam opened,`). */
function openingOf(terms: readonly Term[]): number {
  let i = 0;
  while (i < terms.length && has(terms[i], 'Adverb') && endsPhrase(terms[i])) i++;
  const opener = terms[i] as Term | undefined;
  if (opener && (has(opener, 'Preposition', 'Conjunction', 'Adverb') || /^(?:after|before|when|while|since|although|though|as|once|until|despite|for|within|during|in|on|at|by)$/iu.test(opener.normal))) {
    const comma = terms.findIndex((t, k) => k >= i && k <= i + 12 && endsPhrase(t));
    if (comma >= 0 && comma + 1 < terms.length) return comma + 1;
  }
  return i;
}

/** Subordinators: a finite verb after one belongs to a clause inside the sentence (`Check whether the figures include…`). */
const SUBORDINATORS = /^(?:that|whether|if|how|what|who|whom|which|when|where|why|because|before|after|while|until|unless|since|so|and|or|but)$/u;

/**
 * Whether a finite verb follows, before any subordinator, comma or the
 * sentence's end — by its tag, or by its form where the tagger took a past
 * tense for a noun (`Output at the smelter rose…`).
 */
function finiteVerbAfter(terms: readonly Term[], from: number, isPastForm: (word: string) => boolean): boolean {
  for (let k = from; k < terms.length; k++) {
    const term = terms[k];
    if (SUBORDINATORS.test(term.normal) || has(term, 'QuestionWord')) return false;
    const inNounPhrase = has(terms[k - 1], 'Determiner', 'Adjective', 'Possessive');
    if (!inNounPhrase && has(term, 'Verb') && !has(term, 'Gerund', 'Infinitive', 'Particle') && !(has(term, 'Participle') && !has(term, 'PastTense'))) return true;
    if (!inNounPhrase && has(term, 'Noun') && !has(term, 'Plural') && /^\p{Ll}+$/u.test(term.normal) && isPastForm(term.normal)) return true;
    if (endsPhrase(term)) return false;
  }
  return false;
}

/** Whether `terms[at]` is `write` with a direct object (`wrote the first version`): writing a thing, not reporting words. */
function writesAWork(terms: readonly Term[], at: number): boolean {
  const verb = terms[at];
  const next = terms.at(at + 1);
  if (!WRITING.test(verb.normal) || !next) return false;
  return WRITES_A_WORK.test(`${verb.post}${next.pre}${next.text}`);
}

/**
 * The first reporting word and where it stands, unless the writer is the one reporting (`As I said above`);
 * `wrote` with a direct object is writing a thing, not reporting words, and a later reporting word may still count.
 */
function reportingIn(text: string): { word: string; at: number } | undefined {
  for (const match of text.matchAll(new RegExp(REPORTING.source, 'giu'))) {
    if (WRITING.test(match[0]) && WRITES_A_WORK.test(text.slice(match.index + match[0].length))) continue;
    return FIRST_PERSON_BEFORE.test(text.slice(0, match.index)) ? undefined : { word: match[0], at: match.index };
  }
  return undefined;
}

/** The words of `terms[from..to]` as written, with the spacing and hyphens between them, outer punctuation aside. */
function phraseText(terms: readonly Term[], from: number, to: number): string {
  const words = terms.slice(from, to + 1).map((t, k, all) => `${k > 0 ? t.pre : ''}${t.text}${k < all.length - 1 ? t.post : ''}`);
  return words.join('').replace(/[.,;:!?"“”)(]+$|^[("“‘']+/gu, '').trim();
}

/** A word before a name that belongs to its noun phrase: an article, an adjective, a possessive, another name, a compound (`anti-Soviet`). */
function modifiesName(term: Term, isName: (term: Term) => boolean): boolean {
  if (endsPhrase(term) || has(term, 'Verb', 'Preposition', 'Pronoun')) return false;
  if (has(term, 'Determiner')) return /^(?:the|a|an)$/iu.test(term.text);
  return has(term, 'Adjective', 'Possessive') || isName(term) || (has(term, 'Noun') && /\p{L}-\p{L}/u.test(term.text));
}

/**
 * A named subject doing something: a name, then at most a short noun phrase
 * (`Pakistan's intelligence service`), auxiliaries and adverbs, then a verb
 * that is not a copula. A name after a verb or preposition is an object, and a
 * comma or a copula ends the search: `Korybko's reading is too neat` is no action.
 * The subject is the noun phrase whole, with the determiner and modifiers before
 * the name (`The Soviet Union`, `Pakistan's intelligence service`).
 */
function namedAction(terms: readonly Term[], isName: (term: Term) => boolean): { name: string; inSentence: string; verb: string; auxiliary?: string; passive: boolean } | undefined {
  for (let i = 0; i < terms.length; i++) {
    if (!isName(terms[i])) continue;
    const previous = terms[i - 1] as Term | undefined;
    if (previous && has(previous, 'Verb', 'Preposition') && !isName(previous)) continue;
    let from = i;
    while (from > 0 && modifiesName(terms[from - 1], isName)) from--;
    let last = i;
    let nouns = 0;
    let auxiliary: Term | undefined;
    let negated = false;
    for (let j = i + 1; j < terms.length && j <= i + 7; j++) {
      const term = terms[j];
      if (endsPhrase(terms[j - 1])) break;
      if (isName(term)) {
        if (!auxiliary) last = j;
        continue;
      }
      if (has(term, 'Auxiliary', 'Modal')) {
        auxiliary = term;
        continue;
      }
      if (has(term, 'Verb')) {
        const verb = clean(term.text);
        if (has(term, 'Copula') || COPULAS.has(verb.toLowerCase()) || (has(term, 'Gerund') && !auxiliary)) break;
        const name = phraseText(terms, from, last);
        const passive = auxiliary !== undefined && BE_FORMS.test(auxiliary.normal) && has(term, 'Passive', 'PastTense', 'Participle');
        return { name, inSentence: asInSentence(name, terms[from], isName), verb, auxiliary: auxiliary && !negated ? clean(auxiliary.text) : undefined, passive };
      }
      if (has(term, 'Adverb', 'Negative')) {
        negated ||= isNegation(term);
        continue;
      }
      if (has(term, 'Noun', 'Adjective', 'Possessive') && ++nouns <= 3) {
        if (!auxiliary && has(term, 'Noun')) last = j;
        continue;
      }
      break;
    }
  }
  return undefined;
}

/** What an action says: what its subject did, or what happened to it. */
const describeAction = (s: ClaimSignal): string => (s.passive ? `says what happened to ${s.subject ?? 'someone'} (“${s.evidence}”)` : `says what ${s.subject ?? 'someone'} did (“${s.evidence}”)`);

const DESCRIBE: Record<ClaimSignal['kind'], (s: ClaimSignal) => string> = {
  figure: (s) => `states a figure (${s.evidence})`,
  date: (s) => `gives a date (${s.evidence})`,
  'reported-speech': (s) => `reports what someone said (“${s.evidence}”)`,
  'named-action': describeAction,
  action: describeAction,
  superlative: (s) => `makes a superlative claim (“${s.evidence}”)`,
  causal: (s) => `makes a causal claim (“${s.evidence}”)`,
  named: (s) => `names ${s.evidence}`,
};

/** `states a figure (85%) and gives a date (July)`. */
export function explainClaim(assessment: ClaimAssessment): string {
  const parts = assessment.signals.filter((s) => s.kind !== 'named' || assessment.signals.length === 1).map((s) => DESCRIBE[s.kind](s));
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
