import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildCorpus, type BibliographyFile, type Corpus, type SourceFile } from '../../server/src/engine/corpus/corpus.js';
import { readCorpusFiles } from '../../server/src/engine/corpus/load.js';
import type { NoteChecker } from '../../server/src/engine/check.js';
import { quotationsOfNote } from '../../server/src/engine/services/source-uses.js';
import { claimChecker, corpusDir, root } from '../helpers.js';

/** The bundled corpus's files, to be edited as a writer edits a corpus folder. */
const original = readCorpusFiles(corpusDir);
const paragraphsOf = (text: string): string[] => text.split(/\n\s*\n/u).filter((p) => p.trim().length > 40);
const passages = original.sources.flatMap((s) => paragraphsOf(s.text).map((p) => ({ key: s.path.replace(/^.*[\\/]|\.txt$/gu, ''), text: p.split(/\s+/u).slice(2, 14).join(' ') })));

/** Notes as a writer keeps them open: the example note, and notes of quotations of each kind. */
function notesOf(): string[] {
  const example = readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8');
  const quoting = (shift: number): string =>
    passages
      .filter((_, i) => i % 7 === shift)
      .map((p, i) => {
        if (i % 5 === 1) return `Someone wrote "${p.text}" without saying where.`;
        if (i % 5 === 2) return `The report says "${p.text.replace(/\b(\w{5,})\b/u, 'altered')}" [@${p.key}].`;
        if (i % 5 === 3) return `It was put as "${p.text}" [@newsource2021].`;
        if (i % 5 === 4) return `Put otherwise, "${p.text}" [@${p.key === 'gul2021' ? 'anon2021' : 'gul2021'}].`;
        return `As written, "${p.text}" [@${p.key}].`;
      })
      .join('\n\n');
  // A key mistyped: what it suggests changes as keys come and go.
  const typo = 'A slip of the keyboard: "the Taliban" [@newsorce2021].';
  return [example, `${quoting(0)}\n\n${typo}`, quoting(3)];
}

interface Folder {
  sources: SourceFile[];
  bibliographies: BibliographyFile[];
}

/** An edit to the corpus folder, as a writer or a sync makes one. */
type Edit =
  | { kind: 'append'; source: number; passage: number }
  | { kind: 'drop-paragraph'; source: number; paragraph: number }
  | { kind: 'word'; source: number; at: number }
  | { kind: 'remove'; source: number }
  | { kind: 'add'; passage: number }
  | { kind: 'retitle'; entry: number };

function applied(folder: Folder, edit: Edit): Folder {
  const sources = [...folder.sources];
  const pick = (n: number): number => n % Math.max(1, sources.length);
  switch (edit.kind) {
    case 'append': {
      if (sources.length === 0) return folder;
      const i = pick(edit.source);
      sources[i] = { path: sources[i].path, text: `${sources[i].text}\n\n${passages[edit.passage % passages.length].text}.\n` };
      return { ...folder, sources };
    }
    case 'drop-paragraph': {
      if (sources.length === 0) return folder;
      const i = pick(edit.source);
      const paragraphs = sources[i].text.split(/\n\s*\n/u);
      paragraphs.splice(edit.paragraph % paragraphs.length, 1);
      sources[i] = { path: sources[i].path, text: paragraphs.join('\n\n') };
      return { ...folder, sources };
    }
    case 'word': {
      if (sources.length === 0) return folder;
      const i = pick(edit.source);
      const words = sources[i].text.split(' ');
      words[edit.at % words.length] = 'reworded';
      sources[i] = { path: sources[i].path, text: words.join(' ') };
      return { ...folder, sources };
    }
    case 'remove':
      sources.splice(pick(edit.source), 1);
      return { ...folder, sources };
    case 'add': {
      const path = join(corpusDir, 'newsource2021.txt');
      const rest = sources.filter((s) => s.path !== path);
      return { ...folder, sources: [...rest, { path, text: `A new source.\n\n${passages[edit.passage % passages.length].text} and more.\n` }] };
    }
    case 'retitle': {
      const bibliographies = folder.bibliographies.map((b) => {
        const entries = JSON.parse(b.text) as { title?: string; author?: unknown }[];
        const entry = entries[edit.entry % entries.length];
        entry.title = `${entry.title ?? ''} (revised)`;
        entry.author = [{ family: 'Someone', given: 'Else' }];
        return { path: b.path, text: JSON.stringify(entries) };
      });
      return { ...folder, bibliographies };
    }
  }
}

const corpusOf = (folder: Folder): Corpus => buildCorpus(folder.sources, folder.bibliographies, original.problems);

/** What a check shows: the diagnostics, and what the note quotes of each source (the source-uses view). */
function shown(checker: NoteChecker, note: string): string {
  const result = checker.check(note);
  return JSON.stringify({ diagnostics: result.diagnostics, uses: quotationsOfNote('/note.md', result) });
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), source: fc.nat(), passage: fc.nat() }),
  fc.record({ kind: fc.constant('drop-paragraph' as const), source: fc.nat(), paragraph: fc.nat() }),
  fc.record({ kind: fc.constant('word' as const), source: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), source: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), passage: fc.nat() }),
  fc.record({ kind: fc.constant('retitle' as const), entry: fc.nat() }),
);

describe('a checker carried across corpus changes', () => {
  const notes = notesOf();
  const start: Folder = { sources: original.sources, bibliographies: original.bibliographies };

  test('after random source edits, the carried checker reports what a check from scratch reports', () => {
    let reused = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let folder = start;
        let checker = claimChecker(corpusOf(folder));
        for (const note of notes) checker.check(note);
        for (const e of edits) {
          folder = applied(folder, e);
          const corpus = corpusOf(folder);
          checker = checker.carriedTo(corpus);
          reused += checker.cachedUnits;
          const fresh = claimChecker(corpus);
          for (const note of notes) assert.equal(shown(checker, note), shown(fresh, note), `after ${JSON.stringify(edits)}`);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 12), seed: 4242 },
    );
    assert.ok(reused > 0, 'some results were carried over');
  });

  test('a change re-runs the units that read the changed source, and only those', () => {
    const corpus = corpusOf(start);
    const checker = claimChecker(corpus);
    const cites = (key: string): string => `Quoted: "${passages.find((p) => p.key === key)?.text ?? ''}" [@${key}].`;
    const note = [cites('korybko2021'), cites('suchkov2021'), cites('gul2021')].join('\n\n');
    const before = checker.check(note).diagnostics;
    const sources = start.sources.map((s) => (s.path.endsWith('gul2021.txt') ? { path: s.path, text: `${s.text}\n\nA closing line added later.\n` } : s));
    const carried = checker.carriedTo(corpusOf({ ...start, sources }));
    const after = carried.check(note).diagnostics;
    assert.deepEqual(after, before, 'the quoted words are still there');
    // Only the paragraph citing gul2021 ran again.
    assert.equal(carried.parsedCharacters, cites('gul2021').length);
  });
});
