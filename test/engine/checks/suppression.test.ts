import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes } from '../../helpers.js';

const mismatch = 'Korybko: "at most 50 kilometres away from the capital" [@korybko2021].';
const wrongSource = 'Moscow "has limited confidence in them" [@suchkov2021].';

test('disable-next-line silences the named code on the next line only', () => {
  const note = `<!-- verbatim-disable-next-line quote-mismatch -->\n${mismatch}\n\n${mismatch}\n`;
  const diagnostics = check(note);
  assert.deepEqual(codes(diagnostics), ['quote-mismatch']);
  assert.equal(diagnostics[0].range.start.line, 3);
});

test('disable-next-line with another code leaves this one alone', () => {
  assert.deepEqual(codes(check(`<!-- verbatim-disable-next-line quote-not-found -->\n${mismatch}\n`)), ['quote-mismatch']);
});

test('disable-next-line with no code, or "all", silences every code', () => {
  assert.deepEqual(check(`<!-- verbatim-disable-next-line -->\n${wrongSource}\n`), []);
  assert.deepEqual(check(`<!-- verbatim-disable-next-line all -->\n${wrongSource}\n`), []);
});

test('several codes, separated by spaces or commas', () => {
  const note = `<!-- verbatim-disable-next-line quote-mismatch, quote-wrong-source -->\n${mismatch} ${wrongSource}\n`;
  assert.deepEqual(check(note), []);
});

test('an inline comment at the end of a line silences the next line of the same paragraph', () => {
  const note = `Some context. <!-- verbatim-disable-next-line quote-mismatch -->\n${mismatch}\n`;
  assert.deepEqual(check(note), []);
});

test('disable … enable around a region', () => {
  const note = `<!-- verbatim-disable quote-mismatch -->\n\n${mismatch}\n\n${wrongSource}\n\n<!-- verbatim-enable quote-mismatch -->\n\n${mismatch}\n`;
  const diagnostics = check(note);
  assert.deepEqual(codes(diagnostics), ['quote-wrong-source', 'quote-mismatch']);
  assert.deepEqual(diagnostics.map((d) => d.range.start.line), [4, 8]);
});

test('a plain HTML comment is not a directive', () => {
  assert.deepEqual(codes(check(`<!-- a note to self -->\n${mismatch}\n`)), ['quote-mismatch']);
});
