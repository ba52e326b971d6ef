import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCitations, type CitationGroup, type CitationItem } from '../server/src/engine/note/citations.js';
import { markdownParagraphs, plainTextParagraphs, type ParagraphText } from '../server/src/engine/corpus/paragraphs.js';
import { buildCorpus } from '../server/src/engine/corpus/corpus.js';
import { bundledCorpus } from './helpers.js';

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
    const locator = item(text).locator;
    assert.ok(locator);
    assert.equal(locator.kind, 'paragraph');
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
      assert.deepEqual(locator?.paragraphs, [5], text);
    }
  });

  test('paras. 5–6 and ¶¶ 5-6 name paragraphs 5 and 6', () => {
    for (const text of ['[@k, paras. 5–6]', '[@k, ¶¶ 5-6]', '[@k, ¶¶ 5—6]', '[@k, paras. 5 - 6]']) {
      const locator = item(text).locator;
      assert.equal(locator?.kind, 'paragraph', text);
      assert.deepEqual(locator?.paragraphs, [5, 6], text);
    }
  });

  test('lists of paragraphs: ¶¶ 5, 7–8 and ¶¶ 2 and 4', () => {
    assert.deepEqual(item('[@k, ¶¶ 5, 7–8]').locator?.paragraphs, [5, 7, 8]);
    assert.deepEqual(item('[@k, ¶¶ 2 and 4]').locator?.paragraphs, [2, 4]);
  });

  test('the locator span of a range covers the whole range', () => {
    const text = '[@k, paras. 5–6]';
    const locator = item(text).locator;
    assert.ok(locator?.numbers);
    assert.equal(text.slice(locator.numbers.start, locator.numbers.end), '5–6');
    assert.equal(locator.text, 'paras. 5–6');
  });

  test('prefix and suffix: [see @key, ¶ 3, for context]', () => {
    const it = item('[see @korybko2021, ¶ 3, for context]');
    assert.equal(it.key, 'korybko2021');
    assert.equal(it.prefix, 'see');
    assert.equal(it.suffix, ', ¶ 3, for context');
    assert.equal(it.locator?.kind, 'paragraph');
    assert.deepEqual(it.locator?.paragraphs, [3]);
  });

  test('several keys in one group: [@a; @b, ¶ 2]', () => {
    const group = only('[@a; @b, ¶ 2]');
    assert.equal(group.kind, 'bracketed');
    assert.deepEqual(group.items.map((i) => i.key), ['a', 'b']);
    assert.equal(group.items[0].locator, undefined);
    assert.deepEqual(group.items[1].locator?.paragraphs, [2]);
  });

  test('each item of a group keeps its own prefix and locator', () => {
    const group = only('[see @a, ¶ 2; also @b, ¶¶ 4–5]');
    assert.deepEqual(group.items.map((i) => i.prefix), ['see', 'also']);
    assert.deepEqual(group.items.map((i) => i.locator?.paragraphs), [[2], [4, 5]]);
  });

  test('suppressed author: [-@key] and [-@key, ¶ 3]', () => {
    const text = '[-@korybko2021]';
    const it = item(text);
    assert.equal(it.key, 'korybko2021');
    assert.equal(it.suppressAuthor, true);
    assert.equal(it.prefix, '');
    assert.equal(text.slice(it.keySpan.start, it.keySpan.end), '@korybko2021');
    assert.deepEqual(item('[-@korybko2021, ¶ 3]').locator?.paragraphs, [3]);
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
    assert.deepEqual(group.items[0].locator?.paragraphs, [4]);
    assert.equal(text.slice(group.items[0].keySpan.start, group.items[0].keySpan.end), '@korybko2021');
  });

  test('@key [p. 4] has a locator of kind other', () => {
    assert.equal(item('@k [p. 4] says').locator?.kind, 'other');
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

  test('braced keys may hold spaces: @{weird key}', () => {
    assert.deepEqual(keys('[@{weird key}, ¶ 2]'), ['weird key']);
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
    assert.equal(item('[@k, ¶ 5–]').locator?.paragraphs, undefined);
  });

  test('a backwards range (¶ 6–5) is unreadable', () => {
    assert.equal(item('[@k, ¶ 6–5]').locator?.paragraphs, undefined);
  });

  test('a full stop after the number ends the locator: ¶ 3. is paragraph 3', () => {
    assert.deepEqual(item('[@k, ¶ 3.]').locator?.paragraphs, [3]);
  });

  test('page and other locators have kind other', () => {
    for (const text of ['[@k, p. 33]', '[@k, pp. 33-35]', '[@k, chap. 3]', '[@k, sec. 2]', '[@k p. 33]']) {
      const locator = item(text).locator;
      assert.equal(locator?.kind, 'other', text);
      assert.equal(locator?.paragraphs, undefined, text);
    }
    assert.equal(item('[@k, p. 33]').locator?.text, 'p. 33');
  });

  test('a bare number is a page locator, as Pandoc assumes: kind other, not a paragraph', () => {
    const locator = item('[@k, 33]').locator;
    assert.equal(locator?.kind, 'other');
    assert.equal(locator?.text, '33');
    assert.equal(locator?.paragraphs, undefined);
    const text = '@k [33] says';
    const group = only(text);
    assert.equal(text.slice(group.start, group.end), '@k [33]');
    assert.equal(group.items[0].locator?.kind, 'other');
  });

  test('a suffix that is no locator gives no locator', () => {
    assert.equal(item('[@k, for context]').locator, undefined);
    assert.equal(item('[@k, for context]').suffix, ', for context');
  });
});

describe('paragraph numbering of plain-text sources', () => {
  const numbered = (paragraphs: readonly ParagraphText[]): [number, string][] => paragraphs.map((p) => [p.number, p.text]);

  test('every non-blank line is a paragraph, numbered from 1; the title line is ¶ 1', () => {
    assert.deepEqual(numbered(plainTextParagraphs('Title\n\nFirst.\nSecond.\n\n\nThird.\n')), [
      [1, 'Title'],
      [2, 'First.'],
      [3, 'Second.'],
      [4, 'Third.'],
    ]);
  });

  test('a line of only no-break spaces (or other white space) is blank', () => {
    assert.deepEqual(numbered(plainTextParagraphs('Title\n\u00a0\n \t \nText\n\u2003\u00a0\nMore')), [
      [1, 'Title'],
      [2, 'Text'],
      [3, 'More'],
    ]);
  });

  test('CRLF and CR line endings number the same lines', () => {
    const lf = numbered(plainTextParagraphs('Title\n\nOne\nTwo\n'));
    assert.deepEqual(numbered(plainTextParagraphs('Title\r\n\r\nOne\r\nTwo\r\n')), lf);
    assert.deepEqual(numbered(plainTextParagraphs('Title\r\rOne\rTwo\r')), lf);
  });

  test('paragraph offsets slice the file to the line, without its line ending', () => {
    const text = 'Title\r\n\r\nOne line\r\n';
    const paragraphs = plainTextParagraphs(text);
    assert.deepEqual(paragraphs.map((p) => text.slice(p.start, p.end)), ['Title', 'One line']);
  });

  test('an indented line is still a paragraph', () => {
    assert.deepEqual(numbered(plainTextParagraphs('\tIndented')), [[1, '\tIndented']]);
  });

  test('the bundled korybko2021: ¶ 1 is the title and ¶ 6 holds the anaconda threat', () => {
    const source = bundledCorpus().byKey.get('korybko2021');
    assert.ok(source);
    assert.equal(source.paragraphs[0].number, 1);
    assert.match(source.paragraphs[0].text, /^Interpreting Russia’s Reaction/);
    assert.equal(source.paragraphs[5].number, 6);
    assert.match(source.paragraphs[5].text, /We will get around Kabul like an anaconda/);
    // The file has 15 non-blank lines and so 15 paragraphs.
    assert.equal(source.paragraphs.length, 15);
  });
});

describe('paragraph numbering of markdown sources', () => {
  const md = [
    '# Title',
    '',
    'Para one',
    'still para one.',
    '',
    '- item one',
    '- item two',
    '',
    '  second paragraph of item two',
    '',
    '> quoted paragraph',
    '>',
    '> quoted two',
    '',
    '```',
    'code is no paragraph',
    '```',
    '',
    '## Subheading',
    '',
    'Last *emphasised*.',
    '',
  ].join('\n');

  test('headings, paragraphs, list item paragraphs and blockquote paragraphs are one paragraph each', () => {
    assert.deepEqual(
      markdownParagraphs(md).map((p) => [p.number, p.text]),
      [
        [1, 'Title'],
        [2, 'Para one\nstill para one.'],
        [3, 'item one'],
        [4, 'item two'],
        [5, 'second paragraph of item two'],
        [6, 'quoted paragraph'],
        [7, 'quoted two'],
        [8, 'Subheading'],
        [9, 'Last emphasised.'],
      ],
    );
  });

  test('front matter is not a paragraph', () => {
    assert.deepEqual(
      markdownParagraphs('---\ntitle: x\n---\n\nBody\n').map((p) => p.text),
      ['Body'],
    );
  });

  test('a setext heading with CRLF line endings is one paragraph', () => {
    assert.deepEqual(
      markdownParagraphs('Title\r\n=====\r\n\r\nText\r\n').map((p) => p.text),
      ['Title', 'Text'],
    );
  });

  test('a .md source in a corpus is numbered as markdown, a .txt source by lines', () => {
    const corpus = buildCorpus(
      [
        { path: '/c/m.md', text: '# Title\n\nOne\ntwo\n' },
        { path: '/c/t.txt', text: '# Title\n\nOne\ntwo\n' },
      ],
      [],
      [],
    );
    assert.equal(corpus.byKey.get('m')?.paragraphs.length, 2);
    assert.equal(corpus.byKey.get('t')?.paragraphs.length, 3);
  });
});
