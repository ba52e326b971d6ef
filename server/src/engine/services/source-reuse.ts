import type { Source } from '../corpus/corpus.js';
import type { ReusePair, ReuseSide } from '../reuse/reuse.js';
import { escapeMarkdown } from './markdown.js';

/**
 * What a source shares with the corpus's other sources, paragraph by
 * paragraph, for the hover on a source paragraph: the pairs `verbatim reuse`
 * reports that involve it (see `sourceReuseSteps`), grouped by its paragraph.
 */
export interface SourceReuse {
  readonly source: Source;
  /** The source's paragraph number → the pairs it is a side of, in report order (dated origins first). */
  readonly byParagraph: ReadonlyMap<number, readonly ReusePair[]>;
}

/** Where a link to the other side's paragraph goes (a URI), or undefined to name it without a link. */
export type ParagraphLink = (side: ReuseSide) => string | undefined;

/** At most this many pairs are listed in one hover; the rest are counted. */
const HOVER_PAIRS = 12;
/** A verbatim run is quoted up to this many characters. */
const RUN_CHARACTERS = 160;

export function sourceReuse(source: Source, pairs: readonly ReusePair[]): SourceReuse {
  const byParagraph = new Map<number, ReusePair[]>();
  for (const pair of pairs) {
    const own = pair.origin.path === source.path ? pair.origin : pair.copy.path === source.path ? pair.copy : undefined;
    if (!own) continue;
    const list = byParagraph.get(own.paragraph);
    if (list) list.push(pair);
    else byParagraph.set(own.paragraph, [pair]);
  }
  return { source, byParagraph };
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** Why the direction is unknown, or why the dates could not decide it: which side is undated, or that they share a date. */
function undatedReason(pair: ReusePair): string {
  const undated = [pair.origin, pair.copy].filter((side) => side.date === undefined).map((side) => escapeMarkdown(side.key));
  return undated.length > 0 ? `${undated.join(' and ')} undated` : 'same date';
}

/** Which source is the likely origin, said from the hovered source's side, and why. */
function originLine(pair: ReusePair, ownIsOrigin: boolean): string {
  const other = escapeMarkdown(ownIsOrigin ? pair.copy.key : pair.origin.key);
  const dated = (side: ReuseSide): string => escapeMarkdown(side.date ?? 'undated');
  switch (pair.direction) {
    case 'dates':
      return ownIsOrigin
        ? `likely origin: this source, dated ${dated(pair.origin)}, before ${other} (${dated(pair.copy)})`
        : `likely origin: **${other}**, dated ${dated(pair.origin)}, before this source (${dated(pair.copy)})`;
    case 'quotation':
      return ownIsOrigin
        ? `likely origin: this source — ${other} sets the words in quotation marks (${undatedReason(pair)})`
        : `likely origin: **${other}** — this source sets the words in quotation marks (${undatedReason(pair)})`;
    case 'unknown':
      return `origin unknown (${undatedReason(pair)})`;
  }
}

/** One pair as a list item: the other source's paragraph (linked), how much is shared and how, and who likely copied whom. */
function pairItem(pair: ReusePair, source: Source, link: ParagraphLink): string {
  const ownIsOrigin = pair.origin.path === source.path;
  const [own, other] = ownIsOrigin ? [pair.origin, pair.copy] : [pair.copy, pair.origin];
  const name = `${escapeMarkdown(other.key)} ¶ ${other.paragraph}`;
  const target = link(other);
  const named = target ? `[${name}](${target})` : name;
  const kind = pair.kind === 'verbatim' ? 'verbatim' : 'paraphrased';
  const item =
    `- **${named}** — ${kind}, ${pair.sharedWords} words shared: ${percent(own.share)} of this paragraph, ${percent(other.share)} of ¶ ${other.paragraph}; ` +
    `${originLine(pair, ownIsOrigin)}`;
  if (pair.kind !== 'verbatim' || pair.runText === undefined) return item;
  const run = pair.runText.replace(/\s+/gu, ' ');
  const shown = run.length > RUN_CHARACTERS ? `${run.slice(0, RUN_CHARACTERS - 1)}…` : run;
  return `${item}\n\n  > ${escapeMarkdown(shown)}`;
}

/**
 * The hover on a source paragraph that shares text with other sources: which
 * sources carry it, where, how much (words, and share of each paragraph),
 * verbatim or paraphrased, and which source is the likely origin. Undefined
 * when the paragraph shares nothing.
 */
export function reuseHover(reuse: SourceReuse, paragraph: number, link: ParagraphLink): string | undefined {
  const pairs = reuse.byParagraph.get(paragraph);
  if (!pairs || pairs.length === 0) return undefined;
  const others = new Set(pairs.map((pair) => (pair.origin.path === reuse.source.path ? pair.copy.key : pair.origin.key)));
  const heading = `**Text reuse** — ¶ ${paragraph} is shared with ${others.size === 1 ? '1 other source' : `${others.size} other sources`}`;
  const items = pairs.slice(0, HOVER_PAIRS).map((pair) => pairItem(pair, reuse.source, link));
  const more = pairs.length > HOVER_PAIRS ? [`\n…and ${pairs.length - HOVER_PAIRS} more pairs (\`verbatim reuse\` lists them all)`] : [];
  return [heading, '', ...items, ...more].join('\n');
}
