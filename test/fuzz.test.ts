import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNote, NoteChecker } from '../server/src/engine/check.js';
import type { Diagnostic } from '../server/src/engine/diagnostics.js';
import type { Range } from '../server/src/engine/text/lines.js';
import { splitUnits } from '../server/src/engine/units.js';
import { applyEdit, bundledCorpus } from './helpers.js';

/** `npm test` runs a bounded count with fixed seeds; `npm run fuzz` sets FUZZ_RUNS much higher. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const corpus = bundledCorpus();
const checker = new NoteChecker(corpus);

const excerpts = corpus.sources.flatMap((s) => s.paragraphs.filter((p) => p.text.length > 40).map((p) => ({ key: s.key, number: p.number, text: p.text })));

/** Pieces of markdown and of everything a note can hold, hostile ones included. */
const fragment = fc.oneof(
  fc.constantFrom('word ', 'the Taliban ', 'Moscow ', 'said ', 'in July ', '85% ', '. ', ', ', '; ', '! ', '? '),
  fc.constantFrom('"', '“', '”', '‘', '’', "'", '[', ']', '(', ')', '@', '@korybko2021', '@gul2021.', 'user@example.com', '-@anon2021'),
  fc.constantFrom('[@korybko2021]', '[@suchkov2021, ¶ 40]', '[see @zochowski2021, paras. 5–6, for context]', '[@a; @b, ¶ 2]', '[@gul2021, ¶ five]', '[^1]', '[^1]: [@gul2021]\n', '[^2]', '[^B]', '\n[^2]: [@zochowski2021, ¶ 3].', '\n[^b]: See @korybko2021 [¶ 6].\n'),
  fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n', '\n> ', '\n>> ', '\n- ', '\n1. ', '\n# ', '\n    ', '\n```\n', '\n~~~\n', '`', '``'),
  fc.constantFrom('<div>', '</div>', '<!--', '-->', '<!-- verbatim-disable -->', '<!-- verbatim-enable quote-mismatch -->', '<!-- verbatim-disable-next-line -->\n', '<img src=x onerror=alert(1)>'),
  fc.constantFrom('---\ntitle: x\n---\n', '\u0000', '\u0007', '\u001b[31m', '\ud800', '\udc00', '\u200f', 'שלום עולם ', 'مرحبا ', 'é', 'e\u0301', '👍🏽', '🇦🇫', '\u00a0', '\ufeff', '\u2028', '…', '...', '. . .', '--', '—'),
  fc.constantFrom(...excerpts.slice(0, 40)).map((e) => `"${e.text.slice(0, 80)}" [@${e.key}, ¶ ${e.number}] `),
  fc.constantFrom(...excerpts.slice(0, 40)).map((e) => `"${e.text.slice(0, 80)}".[^2] `),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 200, max: 1500 }).map((n) => 'x'.repeat(n)),
);
const note = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

/** LSP lines: `\r\n`, `\n` and a lone `\r` each end a line. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\n|\r/u).map((line) => line.length);
}

function assertInside(range: Range, lengths: readonly number[], what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: line ${p.line} of ${lengths.length}`);
    assert.ok(p.character >= 0 && p.character <= lengths[p.line], `${what}: character ${p.character} of ${lengths[p.line]} on line ${p.line}`);
  }
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  assert.ok(ordered, `${what}: start after end`);
}

function assertWellFormed(text: string, diagnostics: readonly Diagnostic[]): void {
  const lengths = lineLengths(text);
  for (const d of diagnostics) {
    assertInside(d.range, lengths, d.code);
    if (d.data?.fix) assertInside(d.data.fix.range, lengths, `${d.code} fix`);
    for (const alternative of d.data?.alternatives ?? []) assertInside(alternative.range, lengths, `${d.code} alternative`);
  }
}

describe('fuzzed notes', () => {
  test('never throw, and every range (and every fix) lies inside the note', () => {
    fc.assert(
      fc.property(note, (text) => {
        assertWellFormed(text, checker.check(text).diagnostics);
      }),
      { seed: 7001, numRuns: RUNS },
    );
  });

  test('checking unit by unit (with the cache) equals checking the whole note at once', () => {
    fc.assert(
      fc.property(note, (text) => {
        assert.deepEqual(checker.check(text).diagnostics, checkNote(corpus, text, { wholeNote: true }).diagnostics);
      }),
      { seed: 7002, numRuns: RUNS },
    );
  });

  test('a 1 MB note of hostile shapes checks to the end', { timeout: 120_000 }, () => {
    const paragraph = 'Moscow "kept [its] embassy [[[ open" [@korybko2021 @@ "“‘ [@gul2021, ¶ 3] é👍🏽\u0000 ';
    const shapes = [
      paragraph.repeat(13_000), // one giant line
      `${'[ '.repeat(500_000)}]`, // brackets that never close until the end
      '"'.repeat(1_000_000), // quotation marks only
      `${'> '.repeat(50)}deep\n`.repeat(20_000), // nested blockquotes
      '@x '.repeat(400_000), // citations everywhere
    ];
    for (const text of shapes) {
      assert.ok(text.length >= 1_000_000);
      assertWellFormed(text, new NoteChecker(corpus).check(text).diagnostics);
    }
  });
});

/** The block of the note that holds a line: a unit's own lines, or a footnote definition a unit owns. */
function blockOf(text: string, line: number): { first: number; last: number } {
  const blocks = splitUnits(text).flatMap((u) => [
    { first: u.line, last: u.line + text.slice(u.start, u.end).split(/\r\n|\n|\r/u).length - 1 },
    ...u.appended.filter((a) => a.owned).map((a) => ({ first: a.line, last: a.line + a.lastAtLine - a.atLine })),
  ]);
  const block = blocks.find((b) => line >= b.first && line <= b.last);
  assert.ok(block, `line ${line} is in a block`);
  return block;
}

/** A quotation from a source, altered the ways writers slip, cited right or wrong, inline or through a footnote. */
const slip = fc
  .record({
    excerpt: fc.constantFrom(...excerpts),
    from: fc.nat(),
    length: fc.integer({ min: 6, max: 16 }),
    change: fc.constantFrom('none', 'word', 'drop', 'number', 'key', 'locator', 'uncited'),
    other: fc.constantFrom(...corpus.sources.map((s) => s.key)),
    throughFootnote: fc.boolean(),
  })
  .map(({ excerpt, from, length, change, other, throughFootnote }) => {
    const words = excerpt.text.split(/\s+/u).filter((w) => !/["“”[\]*_`<>\\]/u.test(w));
    const start = from % Math.max(1, words.length - length);
    let quoted = words.slice(start, start + length);
    if (change === 'word' && quoted.length > 3) quoted = [...quoted.slice(0, 2), 'altered', ...quoted.slice(3)];
    if (change === 'drop' && quoted.length > 4) quoted = [...quoted.slice(0, 2), ...quoted.slice(4)];
    if (change === 'number') quoted = quoted.map((w) => w.replace(/\d/gu, '7'));
    const key = change === 'key' ? `${excerpt.key}x` : change === 'locator' ? excerpt.key : excerpt.key === other ? excerpt.key : change === 'none' ? excerpt.key : other;
    const locator = change === 'locator' ? `, ¶ ${excerpt.number + 1}` : '';
    const citation = change === 'uncited' ? undefined : `[@${key}${locator}]`;
    return { quotation: `"${quoted.join(' ')}"`, citation, throughFootnote };
  });

/** The slips as a note: one paragraph each, and the footnotes' definitions together at the end (or at the start). */
function slipNote(slips: readonly { quotation: string; citation?: string; throughFootnote: boolean }[], definitionsFirst = false): string {
  const paragraphs: string[] = [];
  const definitions: string[] = [];
  slips.forEach(({ quotation, citation, throughFootnote }, i) => {
    if (citation && throughFootnote) {
      paragraphs.push(`Writers say ${quotation}.[^s${i}]`);
      definitions.push(`[^s${i}]: ${citation}.`);
    } else {
      paragraphs.push(`Writers say ${quotation}${citation ? ` ${citation}` : ''}.`);
    }
  });
  const footnotes = definitions.length > 0 ? [definitions.join('\n')] : [];
  return `${(definitionsFirst ? [...footnotes, ...paragraphs] : [...paragraphs, ...footnotes]).join('\n\n')}\n`;
}

/** The blocks a fix for a diagnostic on `line` may edit: its own, and the definitions of the footnotes it refers to. */
function blocksFor(text: string, line: number): { first: number; last: number }[] {
  const own = blockOf(text, line);
  const lines = text.split(/\r\n|\n|\r/u);
  const labels = lines.slice(own.first, own.last + 1).join('\n').matchAll(/\[\^(\w+)\](?!:)/gu);
  const definitions = [...labels].map((m) => lines.findIndex((l) => l.startsWith(`[^${m[1]}]:`))).filter((l) => l >= 0);
  return [own, ...definitions.map((l) => ({ first: l, last: l }))];
}

/**
 * The lines whose diagnostics a fix may change: the diagnostic's own and, when
 * the fix edits a footnote's definition, the lines that refer to that footnote
 * (fixing its key, say, lets its quotations be judged).
 */
function touchedLines(text: string, line: number, fixLine: number): Set<number> {
  const lines = text.split(/\r\n|\n|\r/u);
  const touched = new Set([line]);
  const label = /^\[\^(\w+)\]:/u.exec(lines[fixLine] ?? '')?.[1];
  if (label) lines.forEach((l, i) => l.includes(`[^${label}]`) && !l.startsWith(`[^${label}]:`) && touched.add(i));
  return touched;
}

describe('citations through footnotes', () => {
  test('checking unit by unit equals checking the whole note, wherever the definitions stand', () => {
    fc.assert(
      fc.property(fc.array(slip, { minLength: 1, maxLength: 6 }), fc.boolean(), (slips, definitionsFirst) => {
        const text = slipNote(slips, definitionsFirst);
        assert.deepEqual(checker.check(text).diagnostics, checkNote(corpus, text, { wholeNote: true }).diagnostics);
      }),
      { seed: 7004, numRuns: Math.max(40, Math.floor(RUNS / 3)) },
    );
  });
});

describe('quick fixes', () => {
  test('applying any offered fix removes its diagnostic, edits only its own block (or its footnote), and leaves every other diagnostic as it was', () => {
    fc.assert(
      fc.property(fc.array(slip, { minLength: 1, maxLength: 6 }), (slips) => {
        const text = slipNote(slips);
        const before = checker.check(text).diagnostics;
        assertWellFormed(text, before);
        for (const d of before) {
          for (const fix of [d.data?.fix, ...(d.data?.alternatives ?? [])]) {
            if (!fix) continue;
            const blocks = blocksFor(text, d.range.start.line);
            assert.ok(
              blocks.some((block) => fix.range.start.line >= block.first && fix.range.end.line <= block.last),
              `${d.code}: the fix stays in its block, or in the definition of a footnote the block refers to`,
            );
            const after = checker.check(applyEdit(text, fix.range, fix.newText)).diagnostics;
            const summary = (list: readonly Diagnostic[]): string[] => list.filter((x) => x !== d).map((x) => `${x.code} ${x.range.start.line}`);
            assert.ok(!after.some((x) => x.code === d.code && x.range.start.line === d.range.start.line && x.message === d.message), `${d.code} is gone after "${fix.title}"`);
            const touched = touchedLines(text, d.range.start.line, fix.range.start.line);
            const others = summary(before.filter((x) => !touched.has(x.range.start.line)));
            const remaining = summary(after.filter((x) => !touched.has(x.range.start.line)));
            assert.deepEqual(remaining, others, `other lines' diagnostics are unchanged by "${fix.title}"`);
          }
        }
      }),
      { seed: 7003, numRuns: Math.max(40, Math.floor(RUNS / 3)) },
    );
  });
});
