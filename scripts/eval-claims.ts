// Precision and recall of claim detection on the labelled sentences in test/claims/ (how each set was made: README, "Uncited claims").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaimTagger, explainClaim } from '../server/src/engine/claims/detect.js';

export interface Labelled {
  text: string;
  claim: boolean;
  kind: string;
}

export interface ClaimScores {
  name: string;
  sentences: number;
  precision: number;
  recall: number;
  falsePositives: Labelled[];
  falseNegatives: Labelled[];
  /** Flags on opinion, questions or signposting: these must be zero. */
  voiceFlags: Labelled[];
}

/** The writer's own voice, by the kinds the sets use: none of these may ever be flagged. */
const VOICE_KINDS = ['opinion', 'question', 'signposting'];

export function evaluate(tagger: ClaimTagger, name: string, path: string): ClaimScores {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Labelled[];
  let truePositives = 0;
  const falsePositives: Labelled[] = [];
  const falseNegatives: Labelled[] = [];
  for (const item of data) {
    const flagged = tagger.assess(item.text).isClaim;
    if (flagged && item.claim) truePositives++;
    else if (flagged) falsePositives.push(item);
    else if (item.claim) falseNegatives.push(item);
  }
  return {
    name,
    sentences: data.length,
    precision: truePositives / Math.max(1, truePositives + falsePositives.length),
    recall: truePositives / Math.max(1, truePositives + falseNegatives.length),
    falsePositives,
    falseNegatives,
    voiceFlags: falsePositives.filter((f) => VOICE_KINDS.includes(f.kind) || VOICE_KINDS.some((k) => f.kind.startsWith(k))),
  };
}

export const SETS = ['labelled', 'heldout', 'development', 'blind']
  .map((name) => ({ name, path: join(import.meta.dirname ?? __dirname, '..', 'test', 'claims', `${name}.json`) }))
  .filter((set) => existsSync(set.path));

async function report(): Promise<void> {
  const tagger = await ClaimTagger.load();
  for (const set of SETS) {
    const scores = evaluate(tagger, set.name, set.path);
    console.log(`${set.name}: ${scores.sentences} sentences, precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}`);
    for (const item of scores.falsePositives) console.log(`  false flag (${item.kind}): ${item.text} — ${explainClaim(tagger.assess(item.text))}`);
    for (const item of scores.falseNegatives) console.log(`  missed (${item.kind}): ${item.text}`);
  }
}

if (process.argv[1]?.endsWith('eval-claims.ts')) void report();
