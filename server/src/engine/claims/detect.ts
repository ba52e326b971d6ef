import type Compromise from 'compromise';

type Nlp = typeof Compromise;
type NlpDocument = ReturnType<Nlp>;

/**
 * The English tagger loads lazily: setting it up takes about 200 ms, which the
 * language server spends after its first diagnostics, not before them.
 */
let tagger: { nlp: Nlp; lexicon: Record<string, string | undefined> } | undefined;
let loading: Promise<void> | undefined;

export function loadClaimDetection(): Promise<void> {
  loading ??= import('compromise').then((module) => {
    const nlp = module.default;
    tagger = { nlp, lexicon: (nlp.world() as { model: { one: { lexicon: Record<string, string | undefined> } } }).model.one.lexicon };
  });
  return loading;
}

export function claimDetectionLoaded(): boolean {
  return tagger !== undefined;
}

/** The English tagger once it has loaded: `quote-misattributed` reads speakers with the same parse. */
export function englishTagger(): Nlp | undefined {
  return tagger?.nlp;
}

function loadedTagger(): NonNullable<typeof tagger> {
  if (!tagger) throw new Error('Claim detection is not loaded yet: await loadClaimDetection() first');
  return tagger;
}

/**
 * Is a sentence a checkable claim — something a reader could verify — or the
 * writer's own voice? The rules are few and explainable: each signal adds a
 * weight and a reason the diagnostic can quote; the writer's voice (opinion,
 * questions, signposting, definitions) vetoes; hedges lower the score. The
 * rules lean towards silence: a false flag on the writer's own reasoning costs
 * more trust than a missed claim.
 */

export type Sensitivity = 'low' | 'medium' | 'high';

export interface ClaimSignal {
  readonly kind: 'figure' | 'date' | 'reported-speech' | 'named-action' | 'superlative' | 'causal' | 'named';
  /** The words that carry the signal, as written. */
  readonly evidence: string;
  readonly weight: number;
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
  new RegExp(`\\b(?:in|since|by|until|from|early|late|mid-?)\\s+${MONTH}\\b`, 'iu'),
  new RegExp(`\\b(?:on|last|this|next)\\s+${WEEKDAY}\\b`, 'u'),
  /\b(?:1[5-9]|20)\d{2}s?\b/u,
  /\b(?:last|this|next|previous|past) (?:week|month|year|decade|century)\b/iu,
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/u,
];
const FIGURE_WORDS = /\b(?:half|a third|a quarter|two[- ]thirds|dozens?|hundreds|thousands|millions|billions|tens of thousands|a majority|most of|percent|per cent)\b/iu;
const NUMBER = /(?<![\p{L}\d])\d[\d,.]*\s?%?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion)\b/iu;
const REPORTING =
  /(?<![-\p{L}])(?:said|says|told|tells|announced|announces|claimed|claims|confirmed|confirms|reported|reports|reportedly|stated|states|declared|insisted|denied|denies|warned|warns|threatened|threatens|promised|promises|pledged|pledges|acknowledged|admitted|noted|notes|argued|argues|wrote|writes|tweeted|quoted|hinted|suggested|signalled|signaled|indicated|called|according to|in the words of)\b/iu;
const CAUSAL = /\b(?:because(?! I)|led to|leads to|caused|causes|as a result|due to|resulted in|results in|in response to|a response to|prompted|triggered|owing to|thanks to)\b/iu;
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
      /\b(?:I|we) (?:think|believe|feel|find|suspect|doubt|suppose|guess|would (?:argue|say|suggest|not)|am not sure|wonder|hope|prefer)\b|\bin (?:my|our) (?:view|opinion|reading|judgement|judgment)\b|\b(?:seems|seemed) to (?:me|us)\b|\bstrikes (?:me|us)\b|\b(?:my|our) (?:sense|view|reading|guess|hunch) is\b|\bpersonally\b|\bto my mind\b|\bI(?:'m| am) (?:inclined|tempted)\b|\b(?:I|we) (?:am|are|'m|'re) (?:not )?(?:convinced|sure|persuaded|certain)\b|\b(?:I|we) (?:cannot|can't|could not|couldn't) (?:show|prove|say|tell|be sure)\b/iu,
    why: 'the writer’s own judgement',
  },
  {
    pattern:
      /\b(?:I|we) will (?:return|come back|turn|discuss|argue|show|look)\b|\blet(?: us|['’]s) (?:now )?(?:turn|look|consider|return|begin|start)\b|\b(?:the|this|next|previous|last|following) (?:section|chapter|note|notes|part)\b|\b(?:these|this|my|our) notes?\b|\bas (?:discussed|noted|shown|mentioned|argued) (?:above|below|earlier)\b|\b(?:below|above)\b(?!,? (?:the|a|an|its|their|his|her|\d))|^\s*(?:first|second|third|finally|next|in sum|to sum up|in short),? (?:a word|some words|let)\b/iu,
    why: 'signposting',
  },
  {
    pattern: /\bby ["“‘]?[^"”’]+["”’]? (?:I|we) mean\b|\b(?:I|we) (?:use|take) ["“‘]|\brefers? to\b.*\b(?:in|throughout) (?:these|this|my)\b|\bin (?:these|this|my) notes?,? ["“‘]|\b(?:here|below),? ["“‘][^"”’]+["”’] (?:means|refers|stands)\b|\bis defined as\b|\bstands for\b|^\s*(?:here|throughout|below)\b,? ['"“‘]|^\s*(?:here|throughout)\b,? .*\b(?:is|are) used\b|['"”’] (?:and ['"“‘][^'"”’]+['"”’] )?(?:is|are) used (?:interchangeably|for|to mean)\b/iu,
    why: 'a definition of the note’s own terms',
  },
  { pattern: /^\s*(?:we|one) (?:should|must|need to|ought to|could|might|can)\b/iu, why: 'the writer’s own reasoning' },
  {
    pattern:
      /\b(?:is|are|was|were) (?:the most |the least |too |a |an |rather |quite |very )?(?:shaky|poor|weak|neat|naive|generous|convincing|persuasive|even-handed|balanced|reliable|unreliable|misleading|careful|sloppy|thoughtful|useful|helpful)\b/iu,
    why: 'the writer’s evaluation',
  },
];

const COPULAS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', "'s", 'am', 'seems', 'seem', 'remains', 'remain', 'become', 'becomes']);

interface Term {
  text: string;
  post: string;
  tags: string[];
}

function termsOf(doc: NlpDocument): Term[] {
  return (doc.json() as { terms: Term[] }[]).flatMap((sentence) => sentence.terms);
}

const clean = (text: string): string => text.replace(/[.,;:!?'’"“”)(]+$|^[("“‘']+|['’]s$/gu, '').trim();

/** Proper names: people, places, organisations, acronyms, other proper nouns. */
function namesIn(doc: NlpDocument): Set<string> {
  const names = [
    ...(doc.people().out('array') as string[]),
    ...(doc.places().out('array') as string[]),
    ...(doc.organizations().out('array') as string[]),
    ...(doc.match('#ProperNoun').out('array') as string[]),
    ...(doc.match('#Acronym').out('array') as string[]),
  ];
  return new Set(names.flatMap((n) => n.split(/\s+/u)).map(clean).filter((n) => n.length > 1 && !/^(?:I|The|A|An)$/u.test(n)));
}

/** A name the tagger knows, or a capitalised word the dictionary does not (`Lavrov`, `Kabulov`). */
function isName(term: Term, names: Set<string>): boolean {
  const word = clean(term.text);
  if (names.has(word)) return true;
  return /^\p{Lu}/u.test(word) && loadedTagger().lexicon[word.toLowerCase()] === undefined && !term.tags.includes('Pronoun') && !term.tags.includes('Determiner');
}

/**
 * A named subject doing something: a name, then at most a short noun phrase
 * (`Pakistan's intelligence service`), auxiliaries and adverbs, then a verb
 * that is not a copula. A name after a verb or preposition is an object, and a
 * comma or a copula ends the search: `Korybko's reading is too neat` is no action.
 */
function namedAction(terms: readonly Term[], names: Set<string>): { name: string; verb: string } | undefined {
  for (let i = 0; i < terms.length; i++) {
    if (!isName(terms[i], names)) continue;
    const previous = terms[i - 1];
    if (previous && (previous.tags.includes('Verb') || previous.tags.includes('Preposition')) && !isName(previous, names)) continue;
    let nouns = 0;
    let auxiliary = false;
    for (let j = i + 1; j < terms.length && j <= i + 7; j++) {
      const term = terms[j];
      const tags = term.tags;
      if (/[,;:]/u.test(terms[j - 1].post)) break;
      if (isName(term, names)) continue;
      if (tags.includes('Auxiliary') || tags.includes('Modal')) {
        auxiliary = true;
        continue;
      }
      if (tags.includes('Verb')) {
        const verb = clean(term.text);
        if (tags.includes('Copula') || COPULAS.has(verb.toLowerCase()) || (tags.includes('Gerund') && !auxiliary)) break;
        return { name: clean(terms[i].text), verb };
      }
      if (tags.includes('Adverb') || tags.includes('Negative')) continue;
      if ((tags.includes('Noun') || tags.includes('Adjective') || tags.includes('Possessive')) && ++nouns <= 3) continue;
      break;
    }
  }
  return undefined;
}

export function assessSentence(sentence: string, sensitivity: Sensitivity = 'medium'): ClaimAssessment {
  const text = sentence.replace(/\s+/gu, ' ').trim();
  const doc = loadedTagger().nlp(text);
  const names = namesIn(doc);
  const terms = termsOf(doc);
  const keyTerms: string[] = [...names];
  for (const veto of VETOES) {
    if (veto.pattern.test(text)) return { isClaim: false, score: 0, signals: [], veto: veto.why, keyTerms };
  }
  const signals: ClaimSignal[] = [];
  const add = (kind: ClaimSignal['kind'], evidence: string, weight: number): void => {
    signals.push({ kind, evidence: evidence.trim(), weight });
  };

  const date = DATE_PATTERNS.map((p) => p.exec(text)?.[0]).find((m): m is string => m !== undefined);
  if (date) {
    add('date', date, 2);
    keyTerms.push(date);
  }
  const withoutDate = (date ? text.replace(date, ' ') : text).replace(SOURCE_COUNT, ' ');
  const figure = FIGURE_WORDS.exec(withoutDate)?.[0] ?? NUMBER.exec(withoutDate)?.[0];
  if (figure && !/^one$/iu.test(figure.trim())) {
    add('figure', figure, 2);
    keyTerms.push(figure);
  }
  const reporting = REPORTING.exec(text)?.[0];
  if (reporting) add('reported-speech', reporting, 2);
  const action = namedAction(terms, names);
  if (action && !(reporting && REPORTING.test(action.verb))) add('named-action', `${action.name} ${action.verb}`, 2);
  else if (!action && names.size > 0) add('named', [...names][0], 0.5);
  const superlative = SUPERLATIVE.exec(text)?.[0];
  if (superlative) add('superlative', superlative, 1.5);
  const causal = CAUSAL.exec(text)?.[0];
  if (causal) add('causal', causal, 1.5);

  // A hedge inside reported speech (`hinted that Russia might…`) is the speaker's, not the writer's.
  const hedged = reporting ? text.slice(0, text.search(REPORTING)) : text;
  const hedges = hedged.match(HEDGES)?.length ?? 0;
  // Talk about the sources themselves (`the copy is a shaky guide`) is the writer weighing evidence.
  const evaluative = EVALUATIVE.test(text) ? 2 : 0;
  const score = signals.reduce((n, s) => n + s.weight, 0) - Math.min(2, hedges * 1.5) - evaluative;
  return { isClaim: score >= THRESHOLD[sensitivity], score, signals, keyTerms };
}

const DESCRIBE: Record<ClaimSignal['kind'], (evidence: string) => string> = {
  figure: (e) => `states a figure (${e})`,
  date: (e) => `gives a date (${e})`,
  'reported-speech': (e) => `reports what someone said (“${e}”)`,
  'named-action': (e) => `says what ${e.split(' ').slice(0, -1).join(' ')} did (“${e}”)`,
  superlative: (e) => `makes a superlative claim (“${e}”)`,
  causal: (e) => `makes a causal claim (“${e}”)`,
  named: (e) => `names ${e}`,
};

/** `states a figure (85%) and gives a date (July)`. */
export function explainClaim(assessment: ClaimAssessment): string {
  const parts = assessment.signals.filter((s) => s.kind !== 'named' || assessment.signals.length === 1).map((s) => DESCRIBE[s.kind](s.evidence));
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
