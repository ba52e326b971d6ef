import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeText } from '../../../server/src/engine/text/decode.js';
import { realTexts } from '../../real-texts.js';

/** The reason, or the text, as one string. */
const decoded = (bytes: number[] | string): string => {
  const result = decodeText(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Uint8Array.from(bytes));
  return 'text' in result ? `text: ${result.text}` : result.reason;
};

describe('decodeText', () => {
  test('valid UTF-8 is text; a leading byte-order mark is dropped', () => {
    assert.equal(decoded('Żochowski — “quoted” 👍🏽'), 'text: Żochowski — “quoted” 👍🏽');
    assert.equal(decoded([0xef, 0xbb, 0xbf, 0x41]), 'text: A');
  });

  test('the first bad byte is named by line and UTF-16 column', () => {
    // "ab\n👍" then a lone continuation byte: the emoji is two UTF-16 units, so the byte is at column 3.
    assert.equal(decoded([0x61, 0x62, 0x0a, 0xf0, 0x9f, 0x91, 0x8d, 0x80]), 'File is not valid UTF-8 (byte 0x80 at line 2, column 3)');
    // CRLF counts as one line ending.
    assert.equal(decoded([0x61, 0x0d, 0x0a, 0x62, 0xe9]), 'File is not valid UTF-8 (byte 0xE9 at line 2, column 2)');
  });

  test('overlong forms, surrogates, values past U+10FFFF and cut sequences are not UTF-8', () => {
    assert.equal(decoded([0x41, 0xc0, 0xaf]), 'File is not valid UTF-8 (byte 0xC0 at line 1, column 2)');
    assert.equal(decoded([0x41, 0xe0, 0x80, 0xaf]), 'File is not valid UTF-8 (byte 0xE0 at line 1, column 2)');
    assert.equal(decoded([0xed, 0xa0, 0x80]), 'File is not valid UTF-8 (byte 0xED at line 1, column 1)');
    assert.equal(decoded([0xf4, 0x90, 0x80, 0x80]), 'File is not valid UTF-8 (byte 0xF4 at line 1, column 1)');
    assert.equal(decoded([0x41, 0x42, 0xe2, 0x80]), 'File is not valid UTF-8 (byte 0xE2 at line 1, column 3)');
  });

  test('a NUL byte makes a binary file', () => {
    assert.equal(decoded([0x89, 0x50, 0x4e, 0x47, 0x00]), 'Binary file (it contains NUL bytes)');
  });

  test('real files, plain ASCII or not, decode to the text the UTF-8 decoder gives', () => {
    const files = realTexts().map(({ path }) => ({ path, bytes: readFileSync(path) }));
    const ascii = Buffer.from(files.map(({ bytes }) => bytes.toString('utf8').replace(/[^\t-\x7f]/gu, '?')).join('\n'), 'utf8');
    for (const { path, bytes } of [...files, { path: 'the files made ASCII', bytes: ascii }]) {
      const result = decodeText(bytes);
      assert.ok('text' in result, path);
      assert.equal(result.text, new TextDecoder('utf-8').decode(bytes), path);
    }
  });
});
