import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../../helpers.js';

describe('locators', () => {
  test('locator-mismatch gives the real paragraph and a fix for the number only', () => {
    const note = 'Żochowski: "under the Taliban’s protection since 16 August" [@zochowski2021, ¶ 3].\n';
    const [d] = check(note);
    assert.equal(d.code, 'locator-mismatch');
    assert.match(d.message, /zochowski2021 ¶ 5, not ¶ 3/);
    assert.equal(d.data?.fix?.newText, '5');
    const fixed = note.slice(0, note.indexOf('¶ 3') + 2) + '5' + note.slice(note.indexOf('¶ 3') + 3);
    assert.deepEqual(check(fixed), []);
  });

  test('a range of paragraphs containing the quotation is right', () => {
    assert.deepEqual(check('"under the Taliban’s protection since 16 August" [@zochowski2021, paras. 4–6].\n'), []);
    assert.deepEqual(check('"under the Taliban’s protection since 16 August" [@zochowski2021, ¶¶ 5-6].\n'), []);
  });

  test('two quotations that share a wrong paragraph number get one diagnostic, inline and through a footnote', () => {
    const inline = 'Moscow courted the movement "at least since 2014", with reports "that Russia has offered concrete support for the Taliban" [@zochowski2021, ¶ 9].\n';
    assert.deepEqual(
      check(inline).map((d) => [d.code, d.message]),
      [['locator-mismatch', 'Quotation is in zochowski2021 ¶ 10, not ¶ 9']],
    );
    const footnote = 'Moscow courted the movement "at least since 2014", with reports "that Russia has offered concrete support for the Taliban".[^z]\n\n[^z]: [@zochowski2021, ¶ 9].\n';
    assert.deepEqual(
      check(footnote).map((d) => [d.code, d.message]),
      [['locator-mismatch', 'Quotation is in zochowski2021 ¶ 10, not ¶ 9']],
    );
  });

  test('a page locator is not checked against paragraphs', () => {
    assert.deepEqual(check('"an unnecessary distraction for Moscow" [@suchkov2021, p. 3].\n'), []);
  });
});
