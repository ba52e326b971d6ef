// Precision and recall of claim detection on the labelled sentences in test/claims/.
// `labelled.json` was written alongside the rules; `heldout.json` by another author who never saw them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessSentence, explainClaim, loadClaimDetection } from '../server/src/engine/claims/detect.js';

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

export function evaluate(name: string, path: string): ClaimScores {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Labelled[];
  let truePositives = 0;
  const falsePositives: Labelled[] = [];
  const falseNegatives: Labelled[] = [];
  for (const item of data) {
    const flagged = assessSentence(item.text).isClaim;
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
    voiceFlags: falsePositives.filter((f) => ['opinion', 'question', 'signposting'].includes(f.kind)),
  };
}

export const SETS = ['labelled', 'heldout'].map((name) => ({ name, path: join(import.meta.dirname ?? __dirname, '..', 'test', 'claims', `${name}.json`) }));

async function report(): Promise<void> {
  await loadClaimDetection();
  for (const set of SETS) {
    const scores = evaluate(set.name, set.path);
    console.log(`${set.name}: ${scores.sentences} sentences, precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}`);
    for (const item of scores.falsePositives) console.log(`  false flag (${item.kind}): ${item.text} — ${explainClaim(assessSentence(item.text))}`);
    for (const item of scores.falseNegatives) console.log(`  missed (${item.kind}): ${item.text}`);
  }
}

if (process.argv[1]?.endsWith('eval-claims.ts')) void report();
