import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes } from '../../helpers.js';

describe('locators', () => {
  test('a paragraph that does not exist is locator-invalid, and only that', () => {
    const note = 'Suchkov calls Afghanistan "an unnecessary distraction for Moscow" [@suchkov2021, ¶ 40].\n';
    const diagnostics = check(note);
    assert.deepEqual(codes(diagnostics), ['locator-invalid']);
    assert.match(diagnostics[0].message, /suchkov2021 has 17 paragraphs; ¶ 40 does not exist/);
  });

  test('an unreadable locator is locator-invalid', () => {
    const diagnostics = check('"an unnecessary distraction for Moscow" [@suchkov2021, ¶ twelve].\n');
    assert.deepEqual(codes(diagnostics), ['locator-invalid']);
  });
});
