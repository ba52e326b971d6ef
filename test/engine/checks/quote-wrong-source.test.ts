import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes } from '../../helpers.js';

describe('verdicts against the corpus', () => {
  test('words from another source: quote-wrong-source naming where they are', () => {
    const note = 'He adds that Moscow "has limited confidence in them" [@suchkov2021].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-wrong-source');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /not in suchkov2021; it is in zochowski2021 ¶ 13/);
    assert.equal(d.data?.key, 'zochowski2021');
    assert.deepEqual(d.data?.paragraphs, [13]);
  });

  test('close only to another source: quote-wrong-source saying the words differ too', () => {
    const note = 'The envoy "hinted Russia may recognise the Taliban as a governing drive" [@gul2021].\n';
    const [d] = check(note);
    assert.equal(d.code, 'quote-wrong-source');
    assert.match(d.message, /close to anon2021 ¶ 5, whose words differ: source has "acknowledge", not "recognise"/);
  });

  test('equal to another source beats close to the cited one', () => {
    // "has limited confidence in them" is exact in zochowski2021; suchkov2021 has nothing close.
    const note = 'Moscow "has limited confidence in them" [@suchkov2021].\n';
    assert.deepEqual(codes(check(note)), ['quote-wrong-source']);
  });

  test('a group naming several keys is satisfied by any of them', () => {
    const note = 'Moscow "has limited confidence in them" [@suchkov2021; @zochowski2021].\n';
    assert.deepEqual(check(note), []);
  });
});
