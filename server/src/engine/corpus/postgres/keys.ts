import type { ClientBase } from 'pg';
import { closestKeys, suggestionDistance } from '../../checks/unknown-source.js';

/** Stands before and after a key when its trigrams are taken: no citation key holds it. */
const PAD = '\u0002';
const Q = 3;

/**
 * A key's trigrams, lower-cased (suggestions ignore case), with two pad
 * characters either side, each followed by its occurrence number ("abc1",
 * "abc2") so that two keys' shared trigrams count as multisets do.
 */
export function keyTrigrams(key: string): string[] {
  const padded = `${PAD.repeat(Q - 1)}${key.toLowerCase()}${PAD.repeat(Q - 1)}`;
  const seen = new Map<string, number>();
  const trigrams: string[] = [];
  for (let i = 0; i + Q <= padded.length; i++) {
    const gram = padded.slice(i, i + Q);
    const occurrence = (seen.get(gram) ?? 0) + 1;
    seen.set(gram, occurrence);
    trigrams.push(`${gram}${occurrence}`);
  }
  return trigrams;
}

/** How a trigram is ranked for the lookup: those with digits or the key's ends, which many keys share, last. */
function commonness(trigram: string): number {
  let score = 0;
  for (const c of trigram.slice(0, Q)) if (c === PAD || (c >= '0' && c <= '9')) score++;
  return score;
}

/** How the archive is asked for the keys within `distance` edits of a key: by shared trigrams, or (a key too short to share any) by length. */
export type KeyLookup = { readonly kind: 'trigrams'; readonly any: readonly string[]; readonly all: readonly string[]; readonly shared: number } | { readonly kind: 'length'; readonly longest: number };

/**
 * The lookup that finds every key within the suggestion distance of `key`,
 * and others. Each edit changes at most three of a key's padded trigrams, so
 * a key within d edits shares at least n − 3d of its n trigrams (the q-gram
 * count filter); and then it shares at least one of any 3d + 1 of them, which
 * the GIN index over the trigrams finds. Where n − 3d ≤ 0 (a key of one
 * character) sharing proves nothing, and keys of at most 1 + d characters
 * are looked at instead.
 */
export function keyLookup(key: string): KeyLookup {
  const distance = suggestionDistance(key);
  const all = keyTrigrams(key);
  const shared = all.length - Q * distance;
  if (shared <= 0) return { kind: 'length', longest: key.toLowerCase().length + distance };
  const any = [...all].sort((a, b) => commonness(a) - commonness(b)).slice(0, Q * distance + 1);
  return { kind: 'trigrams', any, all, shared };
}

/** A source the archive names for a key: enough to place it among the corpus's sources. */
export interface KeyRow {
  key: string;
  path: string;
  format: string;
}

/**
 * The keys suggested for an unknown key, as `unknown-source` suggests them
 * over the whole folder: the candidates the lookup finds (every key within
 * the distance among them) ranked by the check's own rule.
 */
export async function suggestedKeys(client: ClientBase, key: string): Promise<KeyRow[]> {
  const lookup = keyLookup(key);
  const result =
    lookup.kind === 'trigrams'
      ? await client.query<KeyRow>(
          `select key, path, format from verbatim_sources
           where key_trigrams && $1::text[]
             and cardinality(array(select unnest(key_trigrams) intersect all select unnest($2::text[]))) >= $3`,
          [lookup.any, lookup.all, lookup.shared],
        )
      : await client.query<KeyRow>('select key, path, format from verbatim_sources where length(key) <= $1', [lookup.longest]);
  const byKey = new Map(result.rows.map((r) => [r.key, r]));
  return closestKeys(key, byKey.keys()).flatMap((k) => byKey.get(k) ?? []);
}
