import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes } from '../../helpers.js';

describe('citations and uncited quotations', () => {
  test('an uncited quotation of three words or more is quote-uncited, with the citation to insert', () => {
    const note = 'A columnist wrote that "all obligations and all dangers have been left to us".\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-uncited');
    assert.match(d.message, /anon2021 ¶ 14/);
    assert.equal(d.data?.fix?.newText, ' [@anon2021, ¶ 14]');
  });

  test('an uncited quotation in no source is still quote-uncited', () => {
    const note = 'A columnist wrote that the Americans "got into a beautiful car and flew away".\n';
    assert.deepEqual(codes(check(note)), ['quote-uncited']);
  });

  test('scare quotes (fewer than three words) are not checked', () => {
    assert.deepEqual(check('The so-called "red lines" and the "anaconda strategy" matter.\n'), []);
  });

  test('a cited short quotation is still checked', () => {
    assert.deepEqual(codes(check('Its "anaconda strategy" [@korybko2021] matters.\n')), []);
    assert.deepEqual(codes(check('Its "python strategy" [@korybko2021] matters.\n')), ['quote-not-found']);
  });
});
