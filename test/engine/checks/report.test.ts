import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VFile } from 'vfile';
import { rangeOf, report } from '../../../server/src/engine/checks/report.js';

// A note with CRLF line endings and an emoji (two UTF-16 units) before the quotation on its line.
const NOTE = 'Title\r\n\r\n🙂 "at most 50 kilometres" [@korybko2021].\r\n';
const QUOTED = { start: NOTE.indexOf('"at'), end: NOTE.indexOf(' [@') };

describe('report', () => {
  test('a message at the span: 1-based place, offsets kept, the code as its rule and verbatim as its source', () => {
    const file = new VFile({ path: 'note.md', value: NOTE });
    const message = report(file, 'quote-mismatch', 'Quotation differs', QUOTED, { key: 'korybko2021', paragraphs: [6] });
    assert.deepEqual(file.messages, [message], 'the message is the file’s');
    assert.equal(message.reason, 'Quotation differs');
    assert.equal(message.ruleId, 'quote-mismatch');
    assert.equal(message.source, 'verbatim');
    assert.deepEqual(message.place, {
      start: { line: 3, column: 4, offset: QUOTED.start },
      end: { line: 3, column: 27, offset: QUOTED.end },
    });
    assert.deepEqual(message.data, { key: 'korybko2021', paragraphs: [6] });
  });

  test('no data, no data field', () => {
    const file = new VFile({ value: NOTE });
    assert.equal('data' in report(file, 'quote-uncited', 'Uncited', QUOTED), false);
  });
});

describe('rangeOf', () => {
  test('an LSP range: 0-based lines, UTF-16 characters, CRLF counted as one line end', () => {
    const range = rangeOf(new VFile({ value: NOTE }), QUOTED);
    assert.deepEqual(range, { start: { line: 2, character: 3 }, end: { line: 2, character: 26 } });
    const lines = NOTE.split('\r\n');
    assert.equal(lines[range.start.line].slice(range.start.character, range.end.character), '"at most 50 kilometres"');
  });

  test('a span across lines ends on its own line', () => {
    assert.deepEqual(rangeOf(new VFile({ value: NOTE }), { start: 0, end: NOTE.indexOf('🙂') }), { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } });
  });
});
