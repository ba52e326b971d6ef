import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../../helpers.js';

describe('verdicts against the corpus', () => {
  test('words in no source: quote-not-found', () => {
    const note = 'The Foreign Ministry claimed it was "a purely internal matter" [@gul2021].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-not-found');
    assert.equal(d.severity, 'error');
  });
});
