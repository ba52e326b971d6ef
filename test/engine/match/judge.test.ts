import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { judgeQuotation } from '../../../server/src/engine/match/judge.js';
import { tokenize } from '../../../server/src/engine/text/tokens.js';
import { bundledCorpus, check } from '../../helpers.js';

const corpus = bundledCorpus();

/** A word-aligned stretch of 1–40 tokens from any paragraph of any source. */
const sourceExcerpt = fc
  .record({ source: fc.nat(), paragraph: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 40 }) })
  .map(({ source: s, paragraph: p, from, length }) => {
    const source = corpus.sources[s % corpus.sources.length];
    const paragraph = source.paragraphs[p % source.paragraphs.length];
    const tokens = tokenize(paragraph.text);
    const first = from % tokens.length;
    const last = Math.min(tokens.length, first + length) - 1;
    return { key: source.key, number: paragraph.number, text: paragraph.text.slice(tokens[first].start, tokens[last].end) };
  })
  .filter((e) => tokenize(e.text).some((t) => /[\p{L}\p{N}]/u.test(t.text)));

test('a verbatim excerpt of any source, cited to it, is judged verbatim at its paragraph', () => {
  fc.assert(
    fc.property(sourceExcerpt, (excerpt) => {
      const judgement = judgeQuotation(corpus, excerpt.text, [excerpt.key]);
      assert.equal(judgement.verdict, 'verbatim', `${excerpt.key} ¶ ${excerpt.number}: ${excerpt.text}`);
      assert.ok(judgement.places.some((p) => p.paragraphs.includes(excerpt.number)));
    }),
    { seed: 20211, numRuns: 400 },
  );
});

test('the same excerpt quoted in a note, cited with its paragraph, draws no diagnostic', () => {
  const quotable = sourceExcerpt.filter((e) => !/["“”[\]*_<>`\\]/u.test(e.text));
  fc.assert(
    fc.property(quotable, (excerpt) => {
      const note = `As the source puts it, "${excerpt.text}" [@${excerpt.key}, ¶ ${excerpt.number}].\n`;
      assert.deepEqual(check(note), [], note);
    }),
    { seed: 20212, numRuns: 300 },
  );
});

test('changing one word of an excerpt is never judged verbatim', () => {
  const long = sourceExcerpt.filter((e) => tokenize(e.text).filter((t) => /\p{L}/u.test(t.text)).length >= 6);
  fc.assert(
    fc.property(long, fc.nat(), (excerpt, pick) => {
      const words = tokenize(excerpt.text).filter((t) => /\p{L}/u.test(t.text));
      const word = words[pick % words.length];
      const changed = `${excerpt.text.slice(0, word.start)}Xq${word.text}${excerpt.text.slice(word.end)}`;
      const judgement = judgeQuotation(corpus, changed, [excerpt.key]);
      assert.notEqual(judgement.verdict, 'verbatim', changed);
      assert.notEqual(judgement.verdict, 'convention', changed);
    }),
    { seed: 20213, numRuns: 200 },
  );
});
