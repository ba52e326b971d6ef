import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCitations } from '../../../server/src/engine/note/citations.js';
import { sentenceAt, sentenceSpans, sentenceStarts } from '../../../server/src/engine/note/sentences.js';
import { findQuotedSpans } from '../../../server/src/engine/note/quotes.js';

/** The sentences of a paragraph, as text, with its citations and quotations read as the note reader reads them. */
function sentences(text: string): string[] {
  const quotations = findQuotedSpans(text).map((q) => ({ start: q.open, end: q.close + 1 }));
  return sentenceSpans(text, parseCitations(text), quotations).map((s) => text.slice(s.start, s.end));
}

describe('sentenceSpans', () => {
  test('a paragraph of plain sentences', () => {
    assert.deepEqual(sentences('The talks ended. Moscow said nothing! Why?'), ['The talks ended.', 'Moscow said nothing!', 'Why?']);
  });

  test('the full stop of a locator inside a citation ends no sentence', () => {
    assert.deepEqual(sentences('Russia agreed [@korybko2021, para. 5] and waited. Then it spoke.'), ['Russia agreed [@korybko2021, para. 5] and waited.', 'Then it spoke.']);
  });

  test('a full stop inside a quotation ends no sentence; its final mark may end the writer’s', () => {
    assert.deepEqual(sentences('He called it "a threat. A real one." Then he left.'), ['He called it "a threat. A real one."', 'Then he left.']);
  });

  test('a bracketed citation after the full stop belongs to the sentence before it; a narrative one starts the next', () => {
    assert.deepEqual(sentences('The talks ended. [@gul2021] Moscow waited.'), ['The talks ended. [@gul2021]', 'Moscow waited.']);
    assert.deepEqual(sentences('The talks ended. @gul2021 disagrees.'), ['The talks ended.', '@gul2021 disagrees.']);
  });

  test('a common lowercase word before a full stop and a capital ends the sentence; an abbreviation such as cf. does not', () => {
    assert.deepEqual(sentences('The regulator set a price cap. The operator objected.'), ['The regulator set a price cap.', 'The operator objected.']);
    assert.deepEqual(sentences('See the report, cf. Smith on the same point.'), ['See the report, cf. Smith on the same point.']);
  });
});

describe('sentenceAt and sentenceStarts', () => {
  const text = 'One sentence here. Another one there.';

  test('sentenceStarts gives where each sentence of plain text starts', () => {
    assert.deepEqual(sentenceStarts(text), [0, 19]);
  });

  test('sentenceAt finds the sentence holding an offset, or the next one, or none past the end', () => {
    const spans = sentenceSpans(text, [], []);
    assert.deepEqual(sentenceAt(spans, 3), spans[0]);
    assert.deepEqual(sentenceAt(spans, 25), spans[1]);
    assert.deepEqual(sentenceAt(spans, 18), spans[1], 'the space between sentences belongs to the next');
    assert.equal(sentenceAt(spans, text.length), undefined);
  });
});
