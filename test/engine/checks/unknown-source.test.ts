import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, codes } from '../../helpers.js';

describe('citations and uncited quotations', () => {
  test('an unknown key is unknown-source, with did-you-mean and no further verdict', () => {
    const note = 'Kabulov "spent some time on Friday conveying" it [@suchkow2021].\n';
    const diagnostics = check(note);
    assert.deepEqual(codes(diagnostics), ['unknown-source']);
    assert.match(diagnostics[0].message, /did you mean "suchkov2021"\?/);
    assert.equal(diagnostics[0].data?.alternatives?.[0].newText, 'suchkov2021');
  });
});
