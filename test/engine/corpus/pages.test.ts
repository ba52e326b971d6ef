import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Corpus } from '../../../server/src/engine/corpus/corpus.js';
import { loadCorpus } from '../../../server/src/engine/corpus/load.js';
import { completionContext, locatorCompletions } from '../../../server/src/engine/services/completion.js';
import { quotationHover } from '../../../server/src/engine/services/hover.js';
import { checkNote } from '../../../server/src/engine/check.js';
import { check, corpusDir, root } from '../../helpers.js';

/**
 * zochowski2021 printed as a journal article: four pages labelled 17–20.
 * ¶ 5 stands on p. 17; ¶ 8 runs from p. 17 onto p. 18, which begins at
 * "radical Islamist fighters by 16 September."
 */
let corpus: Corpus;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-pages-'));
  copyFileSync(join(root, 'test', 'fixtures', 'sources', 'zochowski2021-journal.pdf'), join(dir, 'zochowski2021.pdf'));
  copyFileSync(join(corpusDir, 'korybko2021.txt'), join(dir, 'korybko2021.txt'));
  corpus = await loadCorpus(dir);
  assert.deepEqual(corpus.problems, []);
  assert.deepEqual(corpus.byKey.get('zochowski2021')?.pages?.map((p) => p.label), ['17', '18', '19', '20']);
});

/** Each diagnostic as `code: message → fix`, and the note with its fix applied. */
function findings(note: string): string[] {
  return check(note, corpus).map((d) => `${d.code}: ${d.message}${d.data?.fix ? ` → ${d.data.fix.title} "${d.data.fix.newText}"` : ''}`);
}

const ON_17 = 'Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban';
const ACROSS_17_18 = 'the threat of infiltration from Afghanistan by radical Islamist fighters';

describe('page locators in a PDF', () => {
  test('the right page, a page range that covers the words, and the forms of writing a page', () => {
    for (const locator of ['p. 17', 'page 17', 'pp. 17–18', '17']) assert.deepEqual(findings(`"${ON_17}" [@zochowski2021, ${locator}].\n`), [], locator);
    assert.deepEqual(findings(`"${ACROSS_17_18}" [@zochowski2021, pp. 17–18].\n`), []);
  });

  test('the wrong page is locator-mismatch, and the fix names the right one', () => {
    assert.deepEqual(findings(`"${ON_17}" [@zochowski2021, p. 19].\n`), ['locator-mismatch: Quotation is on zochowski2021 p. 17, not p. 19 → Change the locator to p. 17 "p. 17"']);
  });

  test('a quotation across a page break needs both pages', () => {
    assert.deepEqual(findings(`"${ACROSS_17_18}" [@zochowski2021, p. 17].\n`), ['locator-mismatch: Quotation is on zochowski2021 pp. 17–18, not p. 17 → Change the locator to pp. 17–18 "pp. 17–18"']);
    assert.deepEqual(findings(`"${ACROSS_17_18}" [@zochowski2021, p. 18].\n`), ['locator-mismatch: Quotation is on zochowski2021 pp. 17–18, not p. 18 → Change the locator to pp. 17–18 "pp. 17–18"']);
  });

  test('applying the fix leaves nothing to report', () => {
    const note = `"${ACROSS_17_18}" [@zochowski2021, p. 17].\n`;
    const [diagnostic] = check(note, corpus);
    const fix = diagnostic.data?.fix;
    assert.ok(fix);
    assert.deepEqual(fix.range, { start: { line: 0, character: note.indexOf('p. 17') }, end: { line: 0, character: note.indexOf('p. 17') + 'p. 17'.length } });
    const fixed = note.slice(0, note.indexOf('p. 17')) + fix.newText + note.slice(note.indexOf('p. 17') + 'p. 17'.length);
    assert.equal(fixed, `"${ACROSS_17_18}" [@zochowski2021, pp. 17–18].\n`);
    assert.deepEqual(check(fixed, corpus), []);
  });

  test('a figure cited to a page is named by that page, as the note cites it, with the paragraph that gives the nearest', () => {
    assert.deepEqual(findings('Russia’s embassy has been under the Taliban’s protection since 18 August [@zochowski2021, p. 17].\n'), [
      // p. 17 gives 16 August (¶ 5) and 19 August (¶ 8): the nearest is named, and with two to choose from there is no fix.
      'claim-unsupported: zochowski2021 p. 17 gives 19 August (¶ 8), not 18 August',
    ]);
  });

  test('a page the PDF does not have, and a page that cannot be read, are locator-invalid', () => {
    assert.deepEqual(findings(`"${ON_17}" [@zochowski2021, p. 40].\n`), ['locator-invalid: zochowski2021 has pages 17–20; p. 40 does not exist']);
    assert.deepEqual(findings(`"${ON_17}" [@zochowski2021, pp. 17–40].\n`), ['locator-invalid: zochowski2021 has pages 17–20; p. 40 does not exist']);
    assert.deepEqual(findings(`"${ON_17}" [@zochowski2021, p. five].\n`), ['locator-invalid: Cannot read the locator "p. five": expected page numbers such as "p. 12" or "pp. 12–13"']);
  });

  test('in a source without pages, a page locator is not checked', () => {
    assert.deepEqual(findings('"We will get around Kabul like an anaconda" [@korybko2021, p. 40].\n'), []);
  });

  test('messages about a PDF name the page beside the paragraph', () => {
    assert.deepEqual(findings(`"${ON_17}" [@korybko2021].\n`), ['quote-wrong-source: Quotation is not in korybko2021; it is in zochowski2021 ¶ 5 (p. 17) → Cite zochowski2021 p. 17 instead "@zochowski2021, p. 17"']);
  });

  test('hovering a quotation from a PDF shows its passage and its page', () => {
    const result = checkNote(corpus, `"${ON_17}" [@zochowski2021, p. 17].\n`);
    const hover = quotationHover(corpus, result.judged[0]);
    // Hover text is markdown with the source's punctuation escaped.
    assert.ok(hover.startsWith('**Verbatim** — zochowski2021 ¶ 5 \\(p\\. 17\\)\n'), hover);
    assert.ok(hover.includes('\n> **Russia, alongside Pakistan, China, Iran and others, has maintained good relations with the Taliban**\\. It has not'), hover);
  });

  test('completion after p. offers the PDF’s pages by label, with their first words', () => {
    const context = completionContext('Moscow [@zochowski2021, p. ');
    assert.deepEqual(context, { kind: 'page', key: 'zochowski2021' });
    const entries = locatorCompletions(corpus, context);
    assert.deepEqual(entries.map((e) => e.label), ['17', '18', '19', '20']);
    assert.equal(entries[0].detail, 'Analyses Russia and the Taliban’s takeover in Afghanistan…');
    assert.deepEqual(locatorCompletions(corpus, { kind: 'page', key: 'korybko2021' }), []);
  });
});
