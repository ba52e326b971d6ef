/**
 * The figures a text states — percentages, sums of money, counts, years and
 * dates — each read to a value, so that one figure written in different forms
 * is the same figure: `85%`, `85 percent` and `eighty-five per cent`;
 * `20,000`, `20 000`, `20k` and `twenty thousand`; `15 August`, `August 15`,
 * `Aug. 15` and `the 15th of August`. Only what the text itself states is
 * read: a date with no year keeps none, and vague quantities (`half`,
 * `dozens`) and ordinals (`the second point`) are not figures.
 */

export type Figure =
  | {
      readonly kind: 'percent' | 'money' | 'count';
      readonly value: number;
      readonly start: number;
      readonly end: number;
      readonly text: string;
      /**
       * A count joined by a hyphen to the word it qualifies (`7-bit`, `a 3-day strike`): a measure of that word,
       * not a count of the claim's thing. Lower case, as written.
       */
      readonly measure?: string;
      /** The words right after a count (`14 triggers`, `3 full days`), lower case: what it counts, for a measure to be weighed against. */
      readonly counted?: readonly string[];
    }
  /** A year, or a decade (`1990s`: `decade` true, `value` its first year). */
  | { readonly kind: 'year'; readonly value: number; readonly decade: boolean; readonly start: number; readonly end: number; readonly text: string }
  | { readonly kind: 'date'; readonly month: number; readonly day: number; readonly year?: number; readonly start: number; readonly end: number; readonly text: string };

export type FigureKind = Figure['kind'];

const MONTHS: readonly (readonly string[])[] = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
];
const MONTH_NUMBER = new Map(MONTHS.flatMap((names, i) => names.map((name) => [name, i + 1] as const)));
/** Months are capitalised (`may` and `march` in lower case are verbs). */
const capitalised = (name: string): string => name[0].toUpperCase() + name.slice(1);
/** A month's name, or its abbreviation with or without its dot (a full name's dot ends the sentence). */
const MONTH = `(?:${MONTHS.map((names) => capitalised(names[0])).join('|')}|(?:${MONTHS.flatMap((names) => names.slice(1))
  .sort((a, b) => b.length - a.length)
  .map(capitalised)
  .join('|')})\\.?)`;
const ORDINAL = '(?:st|nd|rd|th)?';
const YEAR = '(?:1[5-9]\\d\\d|20\\d\\d)';
const DAY = `(?:[12]\\d|3[01]|0?[1-9])${ORDINAL}`;
const DASH = '\\s*(?:–|—|-|to|and|or)\\s*';

/** `15 August 2021`, `15–16 August`, `the 15th of August`. */
const DAY_MONTH = new RegExp(`(?<![\\p{L}\\p{N}])(${DAY})(?:${DASH}(${DAY}))?\\s+(?:of\\s+)?(${MONTH})(?:,?\\s+(${YEAR}))?(?![\\p{L}\\p{N}])`, 'gu');
/** `August 15, 2021`, `Aug. 15`, `August 15–16`. */
const MONTH_DAY = new RegExp(`(?<![\\p{L}\\p{N}])(${MONTH})\\s+(${DAY})(?:${DASH}(${DAY}))?(?:,?\\s+(${YEAR}))?(?![\\p{L}\\p{N}]|[.,]\\d|\\s*(?:%|per\\s?cent|percent))`, 'gu');
/** `2021-08-15`. */
const ISO_DATE = new RegExp(`(?<![\\p{L}\\p{N}])(${YEAR})-(0[1-9]|1[0-2])-([0-2]\\d|3[01])(?![\\p{L}\\p{N}])`, 'gu');

const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SMALL = new Map<string, number>([...UNITS.map((w, i) => [w, i] as const), ...TENS.flatMap((w, i) => (w ? [[w, i * 10] as const] : []))]);
const SCALES = new Map<string, number>([
  ['hundred', 100],
  ['thousand', 1e3],
  ['k', 1e3],
  ['million', 1e6],
  ['mn', 1e6],
  ['m', 1e6],
  ['billion', 1e9],
  ['bn', 1e9],
  ['trillion', 1e12],
  ['tn', 1e12],
]);

/** A number in digits: `20,000`, `20 000` (a thin or no-break space too), `3.5`; never a piece of a code (`COVID-19`, `Su-25`). */
const DIGITS = /(?<![\p{L}\p{N}_]|[\p{L}]-|\d[.,:]|[/#§¶])(\d{1,3}(?:(?:,|[ \u00a0\u202f](?=\d{3}(?![\p{N}]|[.,]\d)))\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)/gu;
/** A number in words: `eighty-five`, `twenty thousand`, `two hundred and fifty`, `a million`. */
const NUMBER_WORD = `(?:${[...SMALL.keys(), ...TENS.filter((t) => t)].join('|')}|hundred|thousand|million|billion|trillion)`;
const WORDS = new RegExp(`(?<![\\p{L}\\p{N}-])(?:an?\\s+(?=(?:hundred|thousand|million|billion|trillion)\\b))?${NUMBER_WORD}(?:(?:\\s+and\\s+|[\\s-]+)${NUMBER_WORD})*(?![\\p{L}\\p{N}])`, 'giu');

/** After a number: a scale word, then a percent or a currency word; `(?!…)` keeps `m` from being `metres`. */
const SCALE_AFTER = /^(?:\s*-?\s*(hundred|thousand|million|billion|trillion|bn|mn|tn)\b|(k|m|bn|mn|tn)(?![\p{L}\p{N}]))/iu;
const PERCENT_AFTER = /^\s*(?:%|per\s?cent\b|percent\b|pct\b|percentage points?\b)/iu;
const CURRENCY_AFTER = /^\s*(?:dollars?|euros?|pounds?(?: sterling)?|roubles?|rubles?|yuan|rupees?|USD|EUR|GBP|RUB)\b/u;
const CURRENCY_BEFORE = /(?:[$€£¥₽]|US\$|USD|EUR|GBP|RUB|Rs\.?)\s?$/u;
/** What comes right after a number that makes it no figure of the claim: a time, an ordinal, a version, a fraction. */
const NOT_A_FIGURE_AFTER = /^(?::\d|(?:st|nd|rd|th)\b|\.\d+\.\d|\/\d)/u;
/** References to the writer's own text or to a place in a source: `¶ 6`, `p. 12`, `note 3`, `section 2`. */
const REFERENCE_BEFORE = /(?:¶¶?|§§?|\b(?:pp?|paras?|nos?|fig|figs|ch|chap|sec|secs|vol|n|nn)\.|\b(?:para(?:graph)?s?|pages?|notes?|footnotes?|sections?|chapters?|figures?|tables?|items?|points?|lines?|steps?|rules?|questions?|volumes?|parts?|articles?|number|no)|#)\s*$/iu;
/**
 * Nouns the writer counts its own text and reading by (`two points follow`, `in this note, three sources`,
 * `the five pieces`): such a count frames the note, it is not a figure of the claim.
 */
const FRAMING_NOUNS =
  'points?|sources?|pieces?|articles?|texts?|notes?|sections?|parts?|questions?|answers?|reasons?|ways?|things?|aspects?|issues?|themes?|lessons?|arguments?|examples?|steps?|observations?|conclusions?|remarks?|caveats?|takeaways?|readings?|accounts?|versions?|quotations?|quotes?|passages?|paragraphs?|pages?|sentences?|words?|options?|possibilities|explanations?|interpretations?|views?|claims?|kinds?|types?|sorts?|authors?|writers?|analysts?|commentators?|outlets?|reports?|analyses|analysis|essays?|columns?|perspectives?|takes?|stories|story|items?|differences?|similarities|things';
const FRAMING_AFTER = new RegExp(`^(?:\\s+(?:(?:more|other|main|key|broad|further|following|short|brief|quick|related|distinct|separate|different|competing|possible|basic|general|important|obvious|final)\\s+)?(?:${FRAMING_NOUNS})\\b)`, 'iu');
/** An author-date reference, `Korybko (2021)` or `Korybko (2021a)`: the writer naming a work, not a figure. */
const AUTHOR_BEFORE = /\p{Lu}[\p{L}’'-]*\s*\($/u;
const AUTHOR_AFTER = /^[a-z]?[),;]/u;
/** `these three`, `all five`, `both`: the writer pointing at things already named. */
const FRAMING_BEFORE = /\b(?:these|those|the following|all|our|my|both of (?:these|those|the))\s+$/iu;

interface Found {
  start: number;
  end: number;
}

/** The value of a run of number words, or undefined when they do not make one number (`one two`). */
function wordsValue(words: readonly string[]): number | undefined {
  let total = 0;
  let current = 0;
  let last: 'small' | 'tens' | 'scale' | undefined;
  for (const word of words) {
    if (word === 'and' || word === 'a' || word === 'an') continue;
    const small = SMALL.get(word);
    if (small !== undefined) {
      // `twenty-five`, `hundred and five`; `five five` is two numbers, `twenty thirty` too.
      if (last === 'small' || (last === 'tens' && small >= 10)) return undefined;
      current += small;
      last = small >= 20 ? 'tens' : 'small';
      continue;
    }
    const scale = SCALES.get(word);
    if (scale === undefined) return undefined;
    if (scale === 100) current = (current || 1) * 100;
    else {
      total += (current || 1) * scale;
      current = 0;
    }
    last = 'scale';
  }
  return total + current;
}

/** Reads a number's scale, percent and currency around it; `start`/`end` span the number itself. */
function qualify(text: string, start: number, end: number, value: number, inWords: boolean): ReadNumber {
  let after = end;
  let scaled = value;
  const scaleWord = SCALE_AFTER.exec(text.slice(after));
  if (scaleWord) {
    const word = (scaleWord[1] ?? scaleWord[2]).toLowerCase();
    // `5 m` is five metres; `5m` beside money is five million: a letter abbreviation counts only with a currency.
    const letter = word === 'm' || word === 'k';
    if (!letter || CURRENCY_BEFORE.test(text.slice(0, start)) || CURRENCY_AFTER.test(text.slice(after + scaleWord[0].length))) {
      scaled = value * (SCALES.get(word) ?? 1);
      after += scaleWord[0].length;
    }
  }
  const percent = PERCENT_AFTER.exec(text.slice(after));
  const scale = scaled / (value || 1);
  if (percent) return { scale, figure: { kind: 'percent', value: scaled, start, end: after + percent[0].length, text: text.slice(start, after + percent[0].length) } };
  const currencyBefore = CURRENCY_BEFORE.exec(text.slice(0, start));
  const currencyAfter = CURRENCY_AFTER.exec(text.slice(after));
  if (currencyBefore || currencyAfter) {
    const from = currencyBefore ? start - currencyBefore[0].length : start;
    const to = currencyAfter ? after + currencyAfter[0].length : after;
    return { scale, figure: { kind: 'money', value: scaled, start: from, end: to, text: text.slice(from, to) } };
  }
  if (!inWords && scaled === value && /^\d{4}$/u.test(text.slice(start, end)) && value >= 1500 && value < 2100) {
    return { scale, figure: { kind: 'year', value, decade: false, start, end, text: text.slice(start, end) } };
  }
  return { scale, figure: { kind: 'count', value: scaled, start, end: after, text: text.slice(start, after) } };
}

/** Whether a count at `[start, end)` is the writer framing its own text: `two points follow`, `these three`. */
function isFraming(text: string, start: number, end: number): boolean {
  return FRAMING_AFTER.test(text.slice(end)) || FRAMING_BEFORE.test(text.slice(Math.max(0, start - 30), start));
}

/** `7-bit`, `3-day`: the word a count is joined to by a hyphen, as a compound adjective. */
const MEASURE_AFTER = /^-(\p{L}+)(?![\p{N}])/u;
/** Up to two words after a count, skipping a hyphen: what it counts. */
const COUNTED_AFTER = /^[\s-]+(\p{L}+)(?:\s+(\p{L}+))?/u;

/** A count with what it counts, and as a measure when it is joined by a hyphen to a word. */
function withMeasure(figure: Figure, rest: string): Figure {
  if (figure.kind !== 'count') return figure;
  const counted = COUNTED_AFTER.exec(rest)?.slice(1).filter((word): word is string => word !== undefined).map((word) => word.toLowerCase());
  const measure = MEASURE_AFTER.exec(rest)?.[1].toLowerCase();
  return { ...figure, counted, ...(measure === undefined ? {} : { measure }) };
}

/** `day` and `days`, `inch` and `inches`: one noun. */
const sameNoun = (a: string, b: string): boolean => a === b || `${a}s` === b || `${b}s` === a || `${a}es` === b || `${b}es` === a;

/** Whether a measure (`7-bit`) is of the thing the other figure counts (`14 bits`, `a 14-bit key`); a sum or a percentage is left to its kind. */
function measureOf(measure: string, other: Figure): boolean {
  if (other.kind !== 'count') return true;
  if (other.measure !== undefined) return sameNoun(measure, other.measure);
  return (other.counted ?? []).some((word) => sameNoun(measure, word));
}

/**
 * Whether two counts measure different things, so neither bears on the other: a passage's `7-bit` says nothing of
 * a claim's `14 triggers`. Only the passage's measure rules out support — a claim's `3-day strike` is still
 * given by a passage's `strike lasted 3 days`.
 */
function measuresDiffer(given: Figure, claimed: Figure, forSupport: boolean): boolean {
  if (given.kind === 'count' && given.measure !== undefined && !measureOf(given.measure, claimed)) return true;
  return !forSupport && claimed.kind === 'count' && claimed.measure !== undefined && !measureOf(claimed.measure, given);
}

const overlapsAny = (taken: readonly Found[], start: number, end: number): boolean => taken.some((t) => start < t.end && t.start < end);

/** The date `day month [year]` written at `[start, end)` of the text. */
function dateFigure(text: string, start: number, end: number, month: string, day: string, year: string | undefined): Figure | undefined {
  const m = MONTH_NUMBER.get(month.replace(/\.$/u, '').toLowerCase());
  if (m === undefined) return undefined;
  return { kind: 'date', month: m, day: Number.parseInt(day, 10), year: year ? Number(year) : undefined, start, end, text: text.slice(start, end) };
}

/** Dates: each day of a range (`15–16 August`) is a date of its own. */
function readDates(text: string, taken: Found[]): Figure[] {
  const dates: Figure[] = [];
  for (const match of text.matchAll(DAY_MONTH)) {
    const [whole, day, secondDay, month, year] = match;
    const start = match.index;
    const end = start + whole.length;
    const first = dateFigure(text, start, start + day.length, month, day, year);
    const second = secondDay ? dateFigure(text, start, end, month, secondDay, year) : undefined;
    for (const d of [first, second]) if (d) dates.push(secondDay ? d : { ...d, end, text: whole });
    taken.push({ start, end });
  }
  for (const match of text.matchAll(MONTH_DAY)) {
    const [whole, month, day, secondDay, year] = match;
    const start = match.index;
    const end = start + whole.length;
    if (overlapsAny(taken, start, end)) continue;
    for (const d of [day, secondDay]) {
      const date = d ? dateFigure(text, start, end, month, d, year) : undefined;
      if (date) dates.push(date);
    }
    taken.push({ start, end });
  }
  for (const match of text.matchAll(ISO_DATE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlapsAny(taken, start, end)) continue;
    dates.push({ kind: 'date', year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), start, end, text: match[0] });
    taken.push({ start, end });
  }
  return dates;
}

/** Years inside dates count as years too: `15 August 2021` states 2021. */
function yearsOfDates(dates: readonly Figure[]): Figure[] {
  return dates.flatMap((d) => (d.kind === 'date' && d.year !== undefined ? [{ kind: 'year' as const, value: d.year, decade: false, start: d.start, end: d.end, text: String(d.year) }] : []));
}

/** A number as read, with the scale its own words gave it (`5 million`: 1e6), for ranges to share. */
interface ReadNumber {
  figure: Figure;
  scale: number;
}

/**
 * A bare number right before a qualified one it ranges with takes its qualification: `10–15%` is 10% to 15%,
 * `3 to 5 million` is 3 million to 5 million, `$3–4bn` is money.
 */
function spreadRanges(text: string, numbers: readonly ReadNumber[]): Figure[] {
  return numbers.map(({ figure, scale }, i) => {
    const next = numbers.at(i + 1);
    if (figure.kind !== 'count' || scale !== 1 || !next || next.figure.kind === 'date' || next.figure.kind === 'year') return figure;
    if (!/^\s*(?:–|—|-|to|and|or)\s*(?:[$€£¥₽]\s?)?$/u.test(text.slice(figure.end, next.figure.start))) return figure;
    if (next.figure.kind === 'count' && next.scale === 1) return figure;
    return { ...figure, kind: next.figure.kind, value: figure.value * next.scale };
  });
}

/** Every figure the text states, in order. `framing` counts (the writer's own points, sources) are left out. */
export function readFigures(text: string): Figure[] {
  const taken: Found[] = [];
  const dates = readDates(text, taken);
  const numbers: ReadNumber[] = [];
  const claimed = (start: number, end: number): boolean => numbers.some((n) => start < n.figure.end && n.figure.start < end);
  for (const match of text.matchAll(DIGITS)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlapsAny(taken, start, end)) continue;
    const rest = text.slice(end);
    if (NOT_A_FIGURE_AFTER.test(rest) || REFERENCE_BEFORE.test(text.slice(Math.max(0, start - 20), start))) continue;
    if (/^\d{4}$/u.test(match[0]) && AUTHOR_BEFORE.test(text.slice(Math.max(0, start - 40), start)) && AUTHOR_AFTER.test(rest)) continue;
    const decade = /^s(?![\p{L}\p{N}])/u.exec(rest);
    if (decade && /^\d{4}$/u.test(match[0])) {
      numbers.push({ scale: 1, figure: { kind: 'year', value: Number(match[0]), decade: true, start, end: end + 1, text: text.slice(start, end + 1) } });
      continue;
    }
    if (/^'?[\p{L}]/u.test(rest) && !SCALE_AFTER.test(rest)) continue;
    const read = qualify(text, start, end, Number(match[0].replace(/[,\s\u00a0\u202f]/gu, '')), false);
    if (read.figure.kind === 'count' && isFraming(text, start, read.figure.end)) continue;
    numbers.push({ ...read, figure: withMeasure(read.figure, text.slice(read.figure.end)) });
  }
  for (const match of text.matchAll(WORDS)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlapsAny(taken, start, end) || claimed(start, end)) continue;
    const words = match[0].toLowerCase().split(/[\s-]+/u);
    const value = wordsValue(words);
    // `one` alone is a pronoun as often as a number (`one of them`, `no one`); `zero` is rarely a claim.
    if (value === undefined || value < 2) continue;
    const read = qualify(text, start, end, value, true);
    if (read.figure.kind === 'count' && (isFraming(text, start, read.figure.end) || REFERENCE_BEFORE.test(text.slice(Math.max(0, start - 20), start)))) continue;
    numbers.push({ ...read, figure: withMeasure(read.figure, text.slice(read.figure.end)) });
  }
  numbers.sort((a, b) => a.figure.start - b.figure.start);
  return [...dates, ...spreadRanges(text, numbers)].sort((a, b) => a.start - b.start);
}

/** What the passage's own figures give: every figure, and the years its dates state. */
function passageFigures(text: string): Figure[] {
  const figures = readFigures(text);
  return [...figures, ...yearsOfDates(figures)];
}

/** `passageFigures` of a paragraph, each paragraph read once however many claims it is weighed for (one reader per pipeline). */
export function paragraphFigureReader(): (paragraph: { readonly text: string }) => Figure[] {
  const read = new WeakMap<object, Figure[]>();
  return (paragraph) => {
    let figures = read.get(paragraph);
    if (!figures) {
      figures = passageFigures(paragraph.text);
      read.set(paragraph, figures);
    }
    return figures;
  };
}

const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Whether `given` (a passage's figure) states the claim's figure `claimed`, in whatever form. */
export function supportsFigure(given: Figure, claimed: Figure): boolean {
  switch (claimed.kind) {
    case 'percent':
      return given.kind === 'percent' && same(given.value, claimed.value);
    case 'money':
    case 'count':
      if (measuresDiffer(given, claimed, true)) return false;
      return (given.kind === 'money' || given.kind === 'count' || given.kind === 'year' || given.kind === 'percent') && same(given.value, claimed.value);
    case 'year':
      if (given.kind === 'date') return given.year !== undefined && (claimed.decade ? Math.floor(given.year / 10) * 10 === claimed.value : given.year === claimed.value);
      if (given.kind === 'year') {
        if (claimed.decade) return Math.floor(given.value / 10) * 10 === claimed.value;
        return !given.decade && given.value === claimed.value;
      }
      return given.kind === 'count' && given.value === claimed.value;
    case 'date':
      return given.kind === 'date' && given.month === claimed.month && given.day === claimed.day && (given.year === undefined || claimed.year === undefined || given.year === claimed.year);
  }
}

/**
 * How a passage stands to one of a claim's figures: it gives it (in any form; a year the source is dated by
 * counts as given), it gives other figures of its kind only (`contradicted`), or none of its kind (`absent`).
 */
export function figureStanding(claimed: Figure, given: readonly Figure[], datedYears: readonly number[]): 'given' | 'contradicted' | 'absent' {
  if (given.some((g) => supportsFigure(g, claimed))) return 'given';
  if (claimed.kind === 'year' && !claimed.decade && datedYears.includes(claimed.value)) return 'given';
  return given.some((g) => figureDistance(g, claimed) < Number.POSITIVE_INFINITY) ? 'contradicted' : 'absent';
}

/** The years a source is dated by — its bibliography date, an author-year key — so `Korybko's 2021 piece` is its own date. */
export function yearsOfSource(source: { readonly key: string; readonly metadata?: { readonly date?: string } }): number[] {
  return [source.metadata?.date ?? '', source.key].flatMap((text) => [...text.matchAll(/(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)/gu)].map((m) => Number(m[1])));
}

/** How far a passage's figure is from the claim's, for naming the nearest (same kind only). */
export function figureDistance(given: Figure, claimed: Figure): number {
  if (given.kind !== claimed.kind || measuresDiffer(given, claimed, false)) return Number.POSITIVE_INFINITY;
  if (given.kind === 'date' && claimed.kind === 'date') {
    const days = (f: { month: number; day: number }): number => f.month * 31 + f.day;
    return Math.abs(days(given) - days(claimed)) + (given.year !== undefined && claimed.year !== undefined ? 400 * Math.abs(given.year - claimed.year) : 0);
  }
  if (given.kind === 'date' || claimed.kind === 'date') return Number.POSITIVE_INFINITY;
  const larger = Math.max(Math.abs(given.value), Math.abs(claimed.value), 1);
  return Math.abs(given.value - claimed.value) / larger;
}

/** The figure's kind as a noun: `korybko2021 ¶ 6 gives no percentage`. */
export function kindNoun(kind: FigureKind): string {
  switch (kind) {
    case 'percent':
      return 'percentage';
    case 'money':
      return 'sum of money';
    case 'count':
      return 'number';
    case 'year':
      return 'year';
    case 'date':
      return 'date';
  }
}

/** A key that says two figures are the same figure (for telling candidates apart). */
export function figureIdentity(figure: Figure): string {
  switch (figure.kind) {
    case 'date':
      return `date:${figure.month}-${figure.day}-${figure.year ?? ''}`;
    case 'year':
      return `year:${figure.value}${figure.decade ? 's' : ''}`;
    case 'percent':
    case 'money':
    case 'count':
      return `${figure.kind}:${figure.value}`;
  }
}
