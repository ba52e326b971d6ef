import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../../server/src/engine/diagnostics.js';
import { unsupportedFigureHover } from '../../../server/src/engine/services/hover.js';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTextCorpus } from '../../../server/src/engine/corpus/load.js';
import { applyEdit, check, codes } from '../../helpers.js';

/**
 * `claim-unsupported` against the bundled corpus: a cited sentence that is not a quotation states a figure the
 * cited paragraphs (the whole source, without a locator) do not give in any form.
 */

function unsupported(note: string): Diagnostic[] {
  return check(note).filter((d) => d.code === 'claim-unsupported');
}

/** The one claim-unsupported diagnostic of a one-line note: its message, the words it stands on, and its fix. */
function expectUnsupported(note: string, message: string, on: string, fix?: string): Diagnostic {
  const found = unsupported(note);
  assert.equal(found.length, 1, found.map((d) => d.message).join('\n'));
  const [d] = found;
  assert.equal(d.message, message);
  assert.equal(d.severity, 'warning');
  assert.equal(d.range.start.line, d.range.end.line);
  assert.equal(note.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), on);
  assert.equal(d.data?.fix?.newText, fix);
  if (d.data?.fix) assert.deepEqual(unsupported(applyEdit(note, d.data.fix.range, d.data.fix.newText)), [], 'the repair leaves nothing to report');
  return d;
}

describe('claim-unsupported fires', () => {
  test('on a wrong percentage, naming the passage’s own, with the one candidate as the repair', () => {
    expectUnsupported(
      'Last week the Taliban said they controlled up to 65% of the country [@suchkov2021, ¶ 1].\n',
      'suchkov2021 ¶ 1 gives 85%, not 65%',
      '65%',
      '85%',
    );
  });

  test('on a wrong year: the nearest year of the paragraph is named; several years, so no repair', () => {
    expectUnsupported('Moscow has courted the movement since at least 2012 [@zochowski2021, ¶ 10].\n', 'zochowski2021 ¶ 10 gives 2014, not 2012', '2012');
    expectUnsupported('Moscow has courted the movement since at least 2016 [@zochowski2021, ¶ 10].\n', 'zochowski2021 ¶ 10 gives 2017, not 2016', '2016');
  });

  test('on a wrong date, in any form', () => {
    for (const date of ['18 August', 'August 18', 'Aug. 18', 'the 18th of August']) {
      const note = `The embassy has been under Taliban protection since ${date} [@zochowski2021, ¶ 5].\n`;
      const d = expectUnsupported(note, `zochowski2021 ¶ 5 gives 16 August, not ${date.replace('the ', '')}`, date.replace('the ', ''), '16 August');
      assert.deepEqual(d.data?.paragraphs, [5]);
    }
  });

  test('on a count the whole source never gives, naming the paragraph of the nearest', () => {
    expectUnsupported('The group is at most 40 kilometres from Kabul [@korybko2021].\n', 'korybko2021 gives 50 (¶ 6), not 40', '40');
  });

  test('with the whole source cited, the fix names the paragraph beside the key, in one pair of brackets', () => {
    const d = expectUnsupported('Some 65% of the country is held by the militants [@suchkov2021].\n', 'suchkov2021 gives 85% (¶ 1), not 65%', '65%', '85%');
    assert.equal(d.data?.fix?.title, 'Replace 65% with 85% (suchkov2021 ¶ 1)');
  });

  test('through a footnote, at the figure', () => {
    const note = 'Moscow has courted the movement since at least 2012.[^z]\n\n[^z]: [@zochowski2021, ¶ 10].\n';
    expectUnsupported(note, 'zochowski2021 ¶ 10 gives 2014, not 2012', '2012');
  });

  test('on one end of a range: the passage’s figure is named even when the other end states it', () => {
    expectUnsupported('Between 80 and 85 per cent of the country was in Taliban hands [@suchkov2021, ¶ 1].\n', 'suchkov2021 ¶ 1 gives 85%, not 80', '80');
  });

  test('on a figure of a kind the passage does not give at all', () => {
    expectUnsupported('The Taliban guard 3% of the embassy [@zochowski2021, ¶ 5].\n', '3% is not in zochowski2021 ¶ 5, which gives no percentage', '3%');
  });

  test('a figure that sits in a passage of another source in the group is supported', () => {
    assert.deepEqual(unsupported('The movement claimed 85% of the country and has been courted since 2014 [@suchkov2021, ¶ 1; @zochowski2021, ¶ 10].\n'), []);
  });
});

describe('claim-unsupported stays silent', () => {
  test('on the same figure in another form', () => {
    for (const figure of ['85%', '85 percent', '85 per cent', 'eighty-five per cent', 'eighty-five percent']) {
      assert.deepEqual(unsupported(`The Taliban said they controlled up to ${figure} of the country [@suchkov2021, ¶ 1].\n`), [], figure);
    }
    for (const date of ['16 August', 'August 16', 'Aug. 16', 'Aug 16', 'the 16th of August', '16 August 2021']) {
      assert.deepEqual(unsupported(`The embassy has been under Taliban protection since ${date} [@zochowski2021, ¶ 5].\n`), [], date);
    }
    for (const count of ['50', 'fifty']) {
      assert.deepEqual(unsupported(`The group is at most ${count} kilometres from Kabul [@korybko2021, ¶ 6].\n`), [], count);
    }
  });

  test('on the writer’s own framing', () => {
    for (const note of [
      'Two points follow from Żochowski’s account [@zochowski2021, ¶ 10].\n',
      'The second point is that Moscow has courted the movement since 2014 [@zochowski2021, ¶ 10].\n',
      'In this note, three sources agree that Moscow hedged [@zochowski2021; @suchkov2021].\n',
      'These three pieces read Moscow alike [@zochowski2021; @suchkov2021; @korybko2021].\n',
      'Żochowski’s fifth paragraph, like ¶ 6 and p. 12 of his report, is dated [@zochowski2021, ¶ 5].\n',
      'Korybko (2019) puts the group at most 50 kilometres from Kabul [@korybko2021, ¶ 6].\n',
      'Korybko’s 2021 piece puts the group at most 50 kilometres from Kabul [@korybko2021, ¶ 6].\n',
    ]) {
      assert.deepEqual(unsupported(note), [], note);
    }
  });

  test('on a citation without a locator whose source gives the figure in another paragraph', () => {
    assert.deepEqual(unsupported('The group is at most 50 kilometres from Kabul [@korybko2021].\n'), []);
    assert.deepEqual(unsupported('Russia listed the Taliban as terrorists in 2003 and has talked to them since 2018 [@anon2021].\n'), []);
  });

  test('on quotations: their words are the quotation checks’ to judge', () => {
    const note = 'Suchkov writes that "the movement announced it controlled up to 65% of the country" [@suchkov2021, ¶ 1].\n';
    assert.deepEqual(codes(check(note)), ['quote-mismatch']);
  });

  test('on correct sentences cited through a footnote', () => {
    const note = 'Moscow has courted the movement since at least 2014.[^z] On 19 August the ministry announced evacuation flights.[^y]\n\n[^z]: [@zochowski2021, ¶ 10].\n[^y]: [@zochowski2021, ¶ 6].\n';
    assert.deepEqual(unsupported(note), []);
  });

  test('on uncited sentences, unknown keys and missing paragraphs: other checks report those', () => {
    assert.deepEqual(unsupported('The Taliban controlled 65% of the country.\n'), []);
    assert.deepEqual(codes(check('The Taliban controlled 65% of the country [@suchkow2021, ¶ 1].\n')), ['unknown-source']);
    assert.deepEqual(codes(check('The Taliban controlled 65% of the country [@suchkov2021, ¶ 40].\n')), ['locator-invalid']);
  });
});

test('the hover shows the one cited paragraph when it gives no figure of the kind', () => {
  const [d] = unsupported('The Taliban guard 3% of the embassy [@zochowski2021, ¶ 5].\n');
  const hover = unsupportedFigureHover(d.message, d.data ?? {});
  assert.match(hover, /^\*\*Unsupported figure\*\* — 3% is not in zochowski2021 ¶ 5, which gives no percentage\n\nzochowski2021 ¶ 5:\n\n> Russia, alongside Pakistan/u);
  assert.doesNotMatch(hover, /\*\*\*\*/u);
});

test('the hover shows the passage with the figure it gives in bold', () => {
  const [d] = unsupported('Last week the Taliban said they controlled up to 65% of the country [@suchkov2021, ¶ 1].\n');
  const hover = unsupportedFigureHover(d.message, d.data ?? {});
  assert.match(hover, /^\*\*Unsupported figure\*\* — suchkov2021 ¶ 1 gives 85%, not 65%/u);
  assert.match(hover, /suchkov2021 ¶ 1:/u);
  assert.match(hover, /controlled up to \*\*85%\*\* of the country/u);
});

/** dpkg's trigger specification, prose no one here wrote: its ¶ 27 says trigger names are `printing 7-bit ascii characters`. */
const DPKG_TRIGGERS = '/usr/share/doc/dpkg/spec/triggers.txt';

test('a count joined by a hyphen to a word (`7-bit`) measures that word: it is no count of another thing', { skip: existsSync(DPKG_TRIGGERS) ? false : `${DPKG_TRIGGERS} is not installed` }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-triggers-'));
  copyFileSync(DPKG_TRIGGERS, join(dir, 'triggers.txt'));
  const corpus = loadTextCorpus(dir);
  const messages = (note: string): string[] => check(note, corpus).filter((d) => d.code === 'claim-unsupported').map((d) => d.message);
  assert.deepEqual(messages('dpkg supports 14 triggers [@triggers, ¶ 27].\n'), ['14 is not in triggers ¶ 27, which gives no number']);
  assert.deepEqual(messages('Trigger names are made of 14 characters at most [@triggers, ¶ 27].\n'), ['14 is not in triggers ¶ 27, which gives no number']);
  assert.deepEqual(messages('Trigger names contain only printing 14-bit ascii characters [@triggers, ¶ 27].\n'), ['triggers ¶ 27 gives 7, not 14']);
  assert.deepEqual(messages('Trigger names are written in 14 bits [@triggers, ¶ 27].\n'), ['triggers ¶ 27 gives 7, not 14']);
  assert.deepEqual(messages('Trigger names contain only printing 7-bit ascii characters [@triggers, ¶ 27].\n'), []);
  assert.deepEqual(messages('Trigger names use 7 bits per character [@triggers, ¶ 27].\n'), []);
  assert.deepEqual(messages('Trigger names are made of 7 characters [@triggers, ¶ 27].\n'), ['7 is not in triggers ¶ 27, which gives no number']);
});
