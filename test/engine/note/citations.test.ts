import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCitations, type CitationGroup, type CitationItem, type Locator, type PageRange, type ParagraphLocator } from '../../../server/src/engine/note/citations.js';

function only(text: string): CitationGroup {
  const groups = parseCitations(text);
  assert.equal(groups.length, 1, `one citation group in ${JSON.stringify(text)}, got ${groups.length}`);
  return groups[0];
}

function item(text: string): CitationItem {
  const group = only(text);
  assert.equal(group.items.length, 1);
  return group.items[0];
}

/** The paragraphs a locator names, when it is a paragraph locator. */
function paragraphsOf(locator: Locator | undefined): readonly number[] | undefined {
  return locator?.kind === 'paragraph' ? locator.paragraphs : undefined;
}

/** The pages a locator names, when it is a page locator. */
function pagesOf(locator: Locator | undefined): readonly PageRange[] | undefined {
  return locator?.kind === 'page' ? locator.pages : undefined;
}

/** The locator of the one item in `text`, which must be a paragraph locator. */
function paragraphLocator(text: string): ParagraphLocator {
  const locator = item(text).locator;
  assert.equal(locator?.kind, 'paragraph', text);
  return locator;
}

function keys(text: string): string[] {
  return parseCitations(text).flatMap((g) => g.items.map((i) => i.key));
}

describe('parseCitations: bracketed citations', () => {
  test('[@key] is one bracketed group with one item and no locator', () => {
    const text = 'As argued [@korybko2021].';
    const group = only(text);
    assert.equal(group.kind, 'bracketed');
    assert.equal(text.slice(group.start, group.end), '[@korybko2021]');
    assert.equal(group.items[0].key, 'korybko2021');
    assert.equal(text.slice(group.items[0].keySpan.start, group.items[0].keySpan.end), '@korybko2021');
    assert.equal(group.items[0].suppressAuthor, false);
    assert.equal(group.items[0].prefix, '');
    assert.equal(group.items[0].suffix, '');
    assert.equal(group.items[0].locator, undefined);
  });

  test('[@key, ¶ 5] has a paragraph locator naming 5', () => {
    const text = '[@korybko2021, ¶ 5]';
    const locator = paragraphLocator(text);
    assert.equal(locator.text, '¶ 5');
    assert.deepEqual(locator.paragraphs, [5]);
    assert.ok(locator.numbers);
    assert.equal(text.slice(locator.numbers.start, locator.numbers.end), '5');
    assert.equal(text.slice(locator.start, locator.end), '¶ 5');
  });

  test('para. 5, para 5, paragraph 5, par. 5 and ¶5 all name paragraph 5', () => {
    for (const text of ['[@k, para. 5]', '[@k, para 5]', '[@k, paragraph 5]', '[@k, par. 5]', '[@k, ¶5]', '[@k ¶ 5]']) {
      const locator = item(text).locator;
      assert.equal(locator?.kind, 'paragraph', text);
      assert.deepEqual(paragraphsOf(locator), [5], text);
    }
  });

  test('paras. 5–6 and ¶¶ 5-6 name paragraphs 5 and 6', () => {
    for (const text of ['[@k, paras. 5–6]', '[@k, ¶¶ 5-6]', '[@k, ¶¶ 5—6]', '[@k, paras. 5 - 6]']) {
      const locator = item(text).locator;
      assert.equal(locator?.kind, 'paragraph', text);
      assert.deepEqual(paragraphsOf(locator), [5, 6], text);
    }
  });

  test('lists of paragraphs: ¶¶ 5, 7–8 and ¶¶ 2 and 4', () => {
    assert.deepEqual(paragraphsOf(item('[@k, ¶¶ 5, 7–8]').locator), [5, 7, 8]);
    assert.deepEqual(paragraphsOf(item('[@k, ¶¶ 2 and 4]').locator), [2, 4]);
  });

  test('the locator span of a range covers the whole range', () => {
    const text = '[@k, paras. 5–6]';
    const locator = paragraphLocator(text);
    assert.ok(locator.numbers);
    assert.equal(text.slice(locator.numbers.start, locator.numbers.end), '5–6');
    assert.equal(locator.text, 'paras. 5–6');
  });

  test('prefix and suffix: [see @key, ¶ 3, for context]', () => {
    const it = item('[see @korybko2021, ¶ 3, for context]');
    assert.equal(it.key, 'korybko2021');
    assert.equal(it.prefix, 'see');
    assert.equal(it.suffix, ', ¶ 3, for context');
    assert.equal(it.locator?.kind, 'paragraph');
    assert.deepEqual(paragraphsOf(it.locator), [3]);
  });

  test('several keys in one group: [@a; @b, ¶ 2]', () => {
    const group = only('[@a; @b, ¶ 2]');
    assert.equal(group.kind, 'bracketed');
    assert.deepEqual(group.items.map((i) => i.key), ['a', 'b']);
    assert.equal(group.items[0].locator, undefined);
    assert.deepEqual(paragraphsOf(group.items[1].locator), [2]);
  });

  test('each item of a group keeps its own prefix and locator', () => {
    const group = only('[see @a, ¶ 2; also @b, ¶¶ 4–5]');
    assert.deepEqual(group.items.map((i) => i.prefix), ['see', 'also']);
    assert.deepEqual(group.items.map((i) => paragraphsOf(i.locator)), [[2], [4, 5]]);
  });

  test('suppressed author: [-@key] and [-@key, ¶ 3]', () => {
    const text = '[-@korybko2021]';
    const it = item(text);
    assert.equal(it.key, 'korybko2021');
    assert.equal(it.suppressAuthor, true);
    assert.equal(it.prefix, '');
    assert.equal(text.slice(it.keySpan.start, it.keySpan.end), '@korybko2021');
    assert.deepEqual(paragraphsOf(item('[-@korybko2021, ¶ 3]').locator), [3]);
  });

  test('a bracket in which some part names no key is not a citation', () => {
    assert.deepEqual(parseCitations('[no key here]'), []);
    assert.deepEqual(keys('[see @a; and more]'), ['a']);
    assert.equal(parseCitations('[see @a; and more]')[0].kind, 'narrative');
  });

  test('a citation group is found among other text, with document-like offsets', () => {
    const text = 'One [@a], two [@b, ¶ 1] and @c.';
    const groups = parseCitations(text);
    assert.deepEqual(groups.map((g) => text.slice(g.start, g.end)), ['[@a]', '[@b, ¶ 1]', '@c']);
    assert.deepEqual(groups.map((g) => g.kind), ['bracketed', 'bracketed', 'narrative']);
  });
});

describe('parseCitations: narrative citations', () => {
  test('@key in running text', () => {
    const text = '@korybko2021 writes that';
    const group = only(text);
    assert.equal(group.kind, 'narrative');
    assert.equal(text.slice(group.start, group.end), '@korybko2021');
    assert.equal(group.items[0].key, 'korybko2021');
    assert.equal(group.items[0].locator, undefined);
  });

  test('@key [¶ 4]: the bracket after it is its locator', () => {
    const text = '@korybko2021 [¶ 4] writes that';
    const group = only(text);
    assert.equal(group.kind, 'narrative');
    assert.equal(text.slice(group.start, group.end), '@korybko2021 [¶ 4]');
    assert.deepEqual(paragraphsOf(group.items[0].locator), [4]);
    assert.equal(text.slice(group.items[0].keySpan.start, group.items[0].keySpan.end), '@korybko2021');
  });

  test('@key [p. 4] has a page locator', () => {
    assert.deepEqual(pagesOf(item('@k [p. 4] says').locator), [{ first: '4', last: '4' }]);
  });
});

describe('parseCitations: Pandoc citation keys', () => {
  test('a trailing full stop or comma is punctuation, not part of the key', () => {
    assert.deepEqual(keys('As argued by @korybko2021.'), ['korybko2021']);
    assert.deepEqual(keys('@korybko2021, for one, says'), ['korybko2021']);
    assert.deepEqual(keys('@korybko2021: a view'), ['korybko2021']);
    const text = 'See @korybko2021.';
    const group = only(text);
    assert.equal(text.slice(group.start, group.end), '@korybko2021');
  });

  test('internal punctuation is part of the key: @smith:2004.x', () => {
    assert.deepEqual(keys('@smith:2004.x says'), ['smith:2004.x']);
    assert.deepEqual(keys('@smith:2004.x.'), ['smith:2004.x']);
    assert.deepEqual(keys('[@doe-2020/a#b, ¶ 1]'), ['doe-2020/a#b']);
  });

  test('keys may start with a letter, digit or underscore and hold non-ASCII letters', () => {
    assert.deepEqual(keys('@_under and @2021report and @Żochowski2021'), ['_under', '2021report', 'Żochowski2021']);
  });

  test('a possessive after the key is not part of it', () => {
    assert.deepEqual(keys('@korybko2021’s view'), ['korybko2021']);
    assert.deepEqual(keys("@korybko2021's view"), ['korybko2021']);
  });

  test('braced keys hold any characters but white space, braces balanced (Pandoc)', () => {
    assert.deepEqual(keys('[@{weird key}, ¶ 2]'), []);
    assert.deepEqual(keys('[@{https://example.com/a?b=1&c=2}, ¶ 2]'), ['https://example.com/a?b=1&c=2']);
    assert.deepEqual(keys('@{a{b}c} and @{Foo_bar.baz.}'), ['a{b}c', 'Foo_bar.baz.']);
  });

  test('an e-mail address is not a citation', () => {
    assert.deepEqual(parseCitations('Write to user@example.com today.'), []);
    assert.deepEqual(parseCitations('[write to user@example.com]'), []);
  });

  test('a lone @ or one before punctuation is not a citation', () => {
    assert.deepEqual(parseCitations('meet @ noon, or @. or [@]'), []);
  });
});

describe('parseCitations: locators', () => {
  test('unreadable paragraph locators (¶ five, ¶ 3a) have no paragraphs', () => {
    for (const text of ['[@k, ¶ five]', '[@k, ¶ 3a]', '[@k, ¶ 3.5]', '[@k, para. x]', '[@k, ¶]']) {
      const locator = item(text).locator;
      assert.ok(locator, text);
      assert.equal(locator.kind, 'paragraph', text);
      assert.equal(locator.paragraphs, undefined, text);
    }
  });

  test('an unreadable locator is kept as written, so it can be reported as written', () => {
    assert.equal(item('[@k, ¶ 3a]').locator?.text, '¶ 3a');
    assert.equal(item('[@k, ¶ five]').locator?.text, '¶ five');
  });

  test('an unfinished range (¶ 5–) is unreadable, not ¶ 5', () => {
    assert.equal(paragraphsOf(item('[@k, ¶ 5–]').locator), undefined);
  });

  test('a backwards range (¶ 6–5) is unreadable', () => {
    assert.equal(paragraphsOf(item('[@k, ¶ 6–5]').locator), undefined);
  });

  test('a full stop after the number ends the locator: ¶ 3. is paragraph 3', () => {
    assert.deepEqual(paragraphsOf(item('[@k, ¶ 3.]').locator), [3]);
  });

  test('page locators: p., pp., page, pages, and a bare number (Pandoc assumes pages)', () => {
    const cases: [string, string, { first: string; last: string }[]][] = [
      ['[@k, p. 33]', 'p. 33', [{ first: '33', last: '33' }]],
      ['[@k p. 33]', 'p. 33', [{ first: '33', last: '33' }]],
      ['[@k, pp. 33-35]', 'pp. 33-35', [{ first: '33', last: '35' }]],
      ['[@k, pp. 12–13, for context]', 'pp. 12–13', [{ first: '12', last: '13' }]],
      ['[@k, page 12]', 'page 12', [{ first: '12', last: '12' }]],
      ['[@k, pages 3, 5–6]', 'pages 3, 5–6', [{ first: '3', last: '3' }, { first: '5', last: '6' }]],
      ['[@k, pp. 233–45]', 'pp. 233–45', [{ first: '233', last: '245' }]],
      ['[@k, p. iv]', 'p. iv', [{ first: 'iv', last: 'iv' }]],
      ['[@k, pp. T-1–T-2]', 'pp. T-1–T-2', [{ first: 'T-1', last: 'T-2' }]],
      ['[@k, 33]', '33', [{ first: '33', last: '33' }]],
      ['[@k, 33–35]', '33–35', [{ first: '33', last: '35' }]],
    ];
    for (const [text, written, pages] of cases) {
      const locator = item(text).locator;
      assert.equal(locator?.kind, 'page', text);
      assert.equal(locator.text, written, text);
      assert.deepEqual(locator.pages, pages, text);
      assert.equal(text.slice(locator.numbers.start, locator.numbers.end), written.replace(/^(pp?\.|pages?) /u, ''), text);
    }
  });

  test('unreadable page locators are kept as written, with no pages', () => {
    for (const [text, written] of [['[@k, p. 4a]', 'p. 4a'], ['[@k, pp. 5–]', 'pp. 5–'], ['[@k, p. five]', 'p. five']]) {
      const locator = item(text).locator;
      assert.equal(locator?.kind, 'page', text);
      assert.equal(locator.text, written, text);
      assert.equal(locator.pages, undefined, text);
    }
  });

  test('chapters, sections and other locators have kind other', () => {
    for (const text of ['[@k, chap. 3]', '[@k, sec. 2]', '[@k, l. 4]']) assert.equal(item(text).locator?.kind, 'other', text);
    assert.equal(item('[@k, sec. 2]').locator?.text, 'sec. 2');
  });

  test('a bare number is a page, not a paragraph', () => {
    const text = '@k [33] says';
    const group = only(text);
    assert.equal(text.slice(group.start, group.end), '@k [33]');
    assert.deepEqual(pagesOf(group.items[0].locator), [{ first: '33', last: '33' }]);
  });

  test('a suffix that is no locator gives no locator', () => {
    assert.equal(item('[@k, for context]').locator, undefined);
    assert.equal(item('[@k, for context]').suffix, ', for context');
  });
});
