import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractHtml } from '../../../../server/src/engine/corpus/extract/html.js';
import { decodeHtml } from '../../../../server/src/engine/corpus/extract/index.js';
import { readCorpusFiles } from '../../../../server/src/engine/corpus/load.js';
import { normaliseDate } from '../../../../server/src/engine/corpus/extract/page-metadata.js';
import type { ExtractedText } from '../../../../server/src/engine/corpus/extract/extracted.js';
import { plainTextParagraphs } from '../../../../server/src/engine/corpus/paragraphs.js';
import { buildCorpus } from '../../../../server/src/engine/corpus/corpus.js';
import { check, corpusDir, fixturesDir } from '../../../helpers.js';

const sources = join(fixturesDir, 'sources');

/** The paragraphs of an extraction as the corpus numbers them (every non-blank line, from ¶ 1). */
function paragraphsOf(extracted: ExtractedText): string[] {
  return plainTextParagraphs(extracted.text).map((p) => p.text);
}

/** The `ExtractedText` layout: one paragraph a line, one blank line between, no white-space-only line. */
function assertLayout(extracted: ExtractedText): void {
  if (extracted.text === '') return;
  for (const [i, line] of extracted.text.split('\n').entries()) {
    if (i % 2 === 1) assert.equal(line, '', `line ${i + 1} separates paragraphs`);
    else assert.match(line, /^\S(?:.*\S)?$/u, `line ${i + 1} is a trimmed paragraph`);
  }
  assert.doesNotMatch(extracted.text, /\r/);
}

function seedParagraphs(key: string): string[] {
  return plainTextParagraphs(readFileSync(join(corpusDir, `${key}.txt`), 'utf8')).map((p) => p.text);
}

function page(text: string, head = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${text}</body></html>`;
}

/** An article long enough for Readability to take it as one, with `inner` inside. */
function article(inner: string): string {
  const filler = '<p>This paragraph is here so that the page reads as an article, with enough words, commas, and sentences to count.</p>';
  return page(`<nav class="menu"><a href="/">Home</a> <a href="/news">News</a></nav><main><article>${filler}${inner}${filler}</article></main>`);
}

/** The paragraphs of `inner` in `article()`, without the filler around them. */
function articleParagraphs(inner: string): string[] {
  const paragraphs = paragraphsOf(extractHtml(article(inner)));
  return paragraphs.filter((p) => !p.startsWith('This paragraph is here'));
}

// The seeds' copies kept some of their pages' chrome as lines of text; on a page those stand outside the article.
const SEED_CHROME: Record<string, readonly string[]> = {
  korybko2021: ['Similar Posts'],
  gul2021: [
    'Related video',
    'Check Also',
    'Book Review: The Tribal Pakhtun as ‘Fixer’',
    'US Policy of ‘Pragmatic Engagement’ Risks Legitimatizing Taliban\u00a0 Rule',
    'Leave a Reply',
    'This site uses Akismet to reduce spam. Learn how your comment data is processed.',
  ],
};

/** Text of the made-up pages' chrome (scripts/make-source-fixtures.ts) that must not reach the extracted text. */
const PAGE_CHROME = [
  'Skip to content', 'Subscribe', 'Log in', 'Support independent journalism', 'Independent news and analysis', 'Middle East',
  'Book Reviews', 'Search for', 'Analysis', 'Share this', 'Like this? Share it', 'Facebook', 'WhatsApp', 'Telegram', 'Print',
  'We use cookies', 'Cookie Policy', 'Accept all cookies', 'This website uses cookies', 'Allow cookies', 'Get the Morning Dispatch',
  'five most important stories', 'unsubscribe at any time', 'Sign me up', 'Posted in', 'Tagged', 'Post navigation',
  'Pakistan’s Balancing Act', 'What the Doha Process Got Wrong', 'The Taliban’s Northern Offensive Explained',
  'Why Moscow Still Talks to Everyone', 'Tajikistan Mobilises Reservists', 'thoughts on', 'says:', 'Reply',
  'The anaconda comparison is exactly', 'I am not convinced that Ghani', 'Living in Mazar', 'Would love to see a follow-up',
  'Russia has always played both sides', 'The Taliban of today have diplomats', 'the CSTO would intervene', 'Proxy war is the right word',
  'Your email address will not be published', 'Post Comment', 'Recent Posts', 'Central Asia Braces', 'About us',
  'reader-funded', 'Privacy Policy', 'Terms of Use', 'All rights reserved', '4 Comments', 'Home',
];

describe('seed articles saved as news pages', () => {
  for (const [key, metadata] of [
    ['korybko2021', { title: 'Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan', authors: ['Andrew Korybko'], date: '2021-08-14', publisher: 'OneWorld' }],
    ['gul2021', { title: 'Why Does Russia See No Problem with Taliban Victories?', authors: ['Imtiaz Gul'], date: '2021-07-10', publisher: 'MatrixMag' }],
  ] as const) {
    const extracted = extractHtml(readFileSync(join(sources, `${key}.html`), 'utf8'));
    const paragraphs = paragraphsOf(extracted);
    const seed = seedParagraphs(key);
    const articleEnd = seed.indexOf(SEED_CHROME[key][0]);

    test(`${key}: every paragraph of the article is one paragraph, in order, byte for byte, and nothing else is`, () => {
      assertLayout(extracted);
      // The seed's paragraphs up to its trailing chrome, numbered as the .txt numbers them: the title line is ¶ 1.
      assert.deepEqual(paragraphs, seed.slice(0, articleEnd));
    });

    test(`${key}: no menu, banner, share bar, related link, newsletter, comment or footer text`, () => {
      for (const chrome of [...PAGE_CHROME, ...SEED_CHROME[key]]) {
        assert.ok(!extracted.text.includes(chrome), `chrome in the text: ${chrome}`);
      }
    });

    test(`${key}: title, author, date and publisher from the page's metadata`, () => {
      assert.deepEqual(extracted.metadata, metadata);
    });

    test(`${key}: quotations from the page verify at the .txt's paragraph numbers`, () => {
      const corpus = buildCorpus([{ path: `${key}.html`, text: extracted.text }], []);
      const cited = seed.slice(0, articleEnd).map((p, i) => `"${p.split(' ').slice(2, 9).join(' ')}" [@${key}, ¶ ${i + 1}]`);
      assert.deepEqual(check(`${cited.join('\n\n')}\n`, corpus), []);
    });
  }
});

describe('Debian manuals in /usr/share/doc (real pages nobody here wrote)', () => {
  // libffi-dev's Texinfo manual; .ci/run installs the package.
  const libffi = '/usr/share/doc/libffi8/html';
  const libffiSkip = existsSync(join(libffi, 'Introduction.html')) ? false : `${libffi} is absent (apt-get install libffi-dev)`;
  const manual = (name: string): string[] => paragraphsOf(extractHtml(readFileSync(join(libffi, name), 'utf8')));
  const NAVIGATION = /^(?:Next|Previous|Up):|\[Index\]|\[Contents\]/;

  test('libffi, Introduction: the chapter heading and its four paragraphs, no "Next: … Previous: … Up:" bar', { skip: libffiSkip }, () => {
    const paragraphs = manual('Introduction.html');
    assert.equal(paragraphs.length, 5, paragraphs.join('\n'));
    assert.equal(paragraphs[0], '1 What is libffi?');
    assert.equal(
      paragraphs[1],
      'Compilers for high level languages generate code that follow certain conventions. These conventions are necessary, in part, for separate compilation to work. One such convention is the calling convention. The calling convention is a set of assumptions made by the compiler about where function arguments will be found on entry to a function. A calling convention also specifies where the return value for a function is found. The calling convention is also sometimes called the ABI or Application Binary Interface.',
    );
    assert.match(paragraphs[4], /^FFI stands for Foreign Function Interface\. A foreign function interface is the popular name/);
    assert.ok(paragraphs.every((p) => !NAVIGATION.test(p)));
  });

  test('libffi, a page shorter than Readability\'s default threshold keeps its text and loses its navigation', { skip: libffiSkip }, () => {
    assert.deepEqual(manual('Multiple-ABIs.html'), [
      '2.4 Multiple ABIs',
      'A given platform may provide multiple different ABIs at once. For instance, the x86 platform has both ‘stdcall’ and ‘fastcall’ functions.',
      'libffi provides some support for this. However, this is necessarily platform-specific.',
    ]);
    // A chapter page that is only a heading, a menu of links and navigation bars.
    assert.deepEqual(manual('Using-libffi.html'), ['2 Using libffi']);
  });

  test('libffi, code examples are not paragraphs and do not cost the section its heading', { skip: libffiSkip }, () => {
    assert.deepEqual(manual('Simple-Example.html'), ['2.2 Simple Example', 'Here is a trivial example that calls puts a few times.']);
    const types = manual('Primitive-Types.html');
    assert.equal(types[0], '2.3.1 Primitive Types');
    assert.equal(types[1], 'Libffi provides a number of built-in type descriptors that can be used to describe argument and return types:');
    // Definition terms and their descriptions are paragraphs; the hover-only "¶" permalinks are not text.
    assert.deepEqual(types.slice(2, 4), ['ffi_type_void', 'The type void. This cannot be used for argument types, only for return values.']);
  });

  test('libffi, the top page: its text, not its table of contents', { skip: libffiSkip }, () => {
    const paragraphs = manual('index.html');
    assert.equal(paragraphs[0], 'libffi: the portable foreign function interface library');
    assert.ok(paragraphs.includes('This manual is for libffi, a portable foreign function interface library.'));
    assert.ok(paragraphs.includes('The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.'));
    for (const entry of ['What is libffi?', 'Using libffi', 'Memory Usage', 'Missing Features', 'Index']) assert.ok(!paragraphs.includes(entry), entry);
    assert.ok(paragraphs.every((p) => !NAVIGATION.test(p)));
  });

  const basePasswd = '/usr/share/doc/base-passwd/users-and-groups.html';
  test('base-passwd, Users and Groups (DocBook): title as ¶ 1, chapters, definition lists, no table of contents', { skip: existsSync(basePasswd) ? false : `${basePasswd} is absent` }, () => {
    const extracted = extractHtml(readFileSync(basePasswd, 'utf8'));
    const paragraphs = paragraphsOf(extracted);
    assert.equal(paragraphs[0], 'Users and Groups in the Debian System');
    assert.equal(extracted.metadata?.title, 'Users and Groups in the Debian System');
    assert.ok(!paragraphs.includes('Table of Contents'));
    const intro = paragraphs.indexOf('Chapter 1. Introduction');
    assert.ok(intro > 0);
    assert.match(paragraphs[intro + 1], /^The Debian base-passwd package contains the master versions of \/etc\/passwd and \/etc\/group\. The update-passwd tool keeps/);
    const root = paragraphs.indexOf('root');
    assert.deepEqual(paragraphs.slice(root, root + 2), ['root', 'Root is (typically) the superuser.']);
  });
});

describe('blocks become paragraphs', () => {
  test('headings, paragraphs, list items (nested ones on their own), blockquote paragraphs, figure captions, definition lists', () => {
    assert.deepEqual(
      articleParagraphs(`<h2>A section heading</h2><p>One <em>inline</em> <a href="/x">link</a> and <strong>bold</strong> word.</p>
<ul><li>First item</li><li>Second item, with more:<ul><li>a nested item</li></ul></li></ul>
<blockquote><p>Quoted first paragraph.</p><p>Quoted second paragraph.</p></blockquote>
<figure><img src="a.jpg" alt="no text from images"><figcaption>A caption under the picture.</figcaption></figure>
<dl><dt>Term</dt><dd>Its definition.</dd></dl>`),
      ['A section heading', 'One inline link and bold word.', 'First item', 'Second item, with more:', 'a nested item', 'Quoted first paragraph.',
        'Quoted second paragraph.', 'A caption under the picture.', 'Term', 'Its definition.'],
    );
  });

  test('one <br> is a space inside the paragraph; two in a row end it', () => {
    assert.deepEqual(articleParagraphs('<p>Two roads diverged in a yellow wood,<br>And sorry I could not travel both</p><p>Stanza one ends.<br>\n<br>Stanza two begins.</p>'), [
      'Two roads diverged in a yellow wood, And sorry I could not travel both',
      'Stanza one ends.',
      'Stanza two begins.',
    ]);
  });

  test('white space collapses as a browser collapses it; a no-break space stays; entities are decoded', () => {
    assert.deepEqual(articleParagraphs('<p>\n  Spread\tover\n\n   lines &amp; tabs,  with&nbsp;&nbsp;two no-break spaces &#8212; and &ldquo;quotes&rdquo;.  </p>'), [
      'Spread over lines & tabs, with\u00a0\u00a0two no-break spaces — and “quotes”.',
    ]);
  });

  test('text keeps its Unicode form: no NFKC (a ligature stays), no NFC either (a combining accent stays)', () => {
    assert.deepEqual(articleParagraphs('<p>The o\uFB03ce in Cafe\u0301 Ren\u00e9 stays as written.</p>'), ['The o\uFB03ce in Cafe\u0301 Ren\u00e9 stays as written.']);
  });

  test('code blocks, scripts, styles, forms and hidden elements give no text; table cells are paragraphs', () => {
    assert.deepEqual(
      articleParagraphs(`<p>Before the code.</p><pre><code>int main() { return 0; }</code></pre><p>After the code.</p>
<script>var tracked = 'script text';</script><style>p { color: red }</style><p hidden>Hidden paragraph.</p><p style="display: none">Undisplayed.</p>
<span aria-hidden="true">Decorative.</span>
<table><tr><th>Year</th><th>Event</th></tr><tr><td>2021</td><td>The Taliban took Kabul.</td></tr></table>`),
      ['Before the code.', 'After the code.', 'Year', 'Event', '2021', 'The Taliban took Kabul.'],
    );
  });

  test('<q> gets the quotation marks a browser shows, alternating when nested', () => {
    assert.deepEqual(articleParagraphs('<p>He said <q>she told me <q>no</q> twice</q> at the door.</p>'), ['He said “she told me ‘no’ twice” at the door.']);
  });
});

describe('Readability keeps the article', () => {
  test('short paragraphs, a paragraph of links, a key-points list, a blockquote and a one-line paragraph all stay', () => {
    const inner = `<p>Short.</p>
<p>See <a href="/a">the first report</a>, <a href="/b">the second report</a> and <a href="/c">the ministry statement</a>.</p>
<ul><li>Key point one: the offensive took a week.</li><li>Key point two: Kabul was surrounded.</li></ul>
<blockquote><p>“We will get around Kabul like an anaconda,” a commander said.</p></blockquote>
<p>Yes.</p>`;
    assert.deepEqual(articleParagraphs(inner), [
      'Short.',
      'See the first report, the second report and the ministry statement.',
      'Key point one: the offensive took a week.',
      'Key point two: Kabul was surrounded.',
      '“We will get around Kabul like an anaconda,” a commander said.',
      'Yes.',
    ]);
  });

  test('a short article (under 500 characters) keeps its text and none of its chrome', () => {
    const html = page(`<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav></header>
<article><h1>Short notice</h1><p>The library will close early on Friday for the staff meeting, and open again at nine on Saturday morning as usual.</p><p>Returns can be left in the box by the door.</p></article>
<div class="comments"><p>Great, thanks for letting us know!</p></div>
<footer class="site-footer"><p>© 2024 Town Library</p></footer>`, '<title>Short notice | Town Library</title><meta property="og:site_name" content="Town Library">');
    const extracted = extractHtml(html);
    assert.deepEqual(paragraphsOf(extracted), [
      'Short notice',
      'The library will close early on Friday for the staff meeting, and open again at nine on Saturday morning as usual.',
      'Returns can be left in the box by the door.',
    ]);
    assert.deepEqual(extracted.metadata, { title: 'Short notice', publisher: 'Town Library' });
  });

  test('the title heading is ¶ 1 whether Readability took it out of the article or it stood outside', () => {
    const body = '<p>First body paragraph, which is long enough, with commas, clauses, and words, to be the article here.</p>'.repeat(4);
    const inside = extractHtml(page(`<article><h1>The Headline Itself</h1>${body}</article>`, '<title>The Headline Itself - Site</title>'));
    const outside = extractHtml(page(`<header class="entry-header"><h1>The Headline Itself</h1></header><article>${body}</article>`, '<title>The Headline Itself - Site</title>'));
    assert.equal(paragraphsOf(inside)[0], 'The Headline Itself');
    assert.equal(paragraphsOf(outside)[0], 'The Headline Itself');
    assert.equal(paragraphsOf(inside).length, 5);
    assert.equal(paragraphsOf(outside).length, 5);
    // A theme that puts the site's name in an <h1> on every page: that heading is not the title.
    const siteHeading = extractHtml(page(`<h1 class="site-title"><a href="/" rel="home">Daily News</a></h1><article><h1>The Headline Itself</h1>${body}</article>`,
      '<title>The Headline Itself | Daily News</title><meta property="og:site_name" content="Daily News">'));
    assert.deepEqual(paragraphsOf(siteHeading).slice(0, 2), ['The Headline Itself', paragraphsOf(inside)[1]]);
    const siteOnly = extractHtml(page(`<h1 class="site-title"><a href="/" rel="home">Daily News</a></h1><article>${body}</article>`,
      '<title>The Headline Itself | Daily News</title><meta property="og:site_name" content="Daily News">'));
    assert.match(paragraphsOf(siteOnly)[0], /^First body paragraph/);
    // No heading like the title: the text starts at its first paragraph.
    const untitled = extractHtml(page(`<article>${body}</article>`, '<title>Something else entirely</title>'));
    assert.match(paragraphsOf(untitled)[0], /^First body paragraph/);
  });

  test('a page with no text gives an empty text, not an error', () => {
    assert.deepEqual(extractHtml(page('')), { text: '', metadata: {} });
    assert.equal(extractHtml('').text, '');
    assert.equal(extractHtml('<p>unclosed <b>markup <i>everywhere').text, 'unclosed markup everywhere');
  });

  test('a URL for the page is accepted and changes nothing in the text', () => {
    const html = readFileSync(join(sources, 'gul2021.html'), 'utf8');
    assert.deepEqual(extractHtml(html, { url: 'https://matrixmag.example/russia-taliban/' }), extractHtml(html));
    assert.deepEqual(extractHtml(html, { url: 'not a url' }), extractHtml(html));
  });
});

describe('page metadata', () => {
  const meta = (head: string): ExtractedText['metadata'] => extractHtml(page('<p>x</p>', head)).metadata;

  test('JSON-LD: author as a string, an object, an array; @graph with @id references; headline and publisher name', () => {
    assert.deepEqual(meta('<script type="application/ld+json">{"@type":"NewsArticle","headline":"H","author":"Jane Roe","datePublished":"2021-08-15T23:30:00-04:00","publisher":"Daily"}</script>'), {
      title: 'H', authors: ['Jane Roe'], date: '2021-08-15', publisher: 'Daily',
    });
    assert.deepEqual(meta('<script type="application/ld+json">[{"@type":"WebSite","name":"Site"},{"@type":["BlogPosting"],"name":"N","author":[{"@type":"Person","name":"A One"},{"@type":"Person","givenName":"B","familyName":"Two"},"C Three"]}]</script>'), {
      title: 'N', authors: ['A One', 'B Two', 'C Three'],
    });
    assert.deepEqual(meta('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Article","headline":"Russia &amp; the Taliban","author":{"@id":"#p"},"publisher":{"@id":"#o"},"datePublished":"2021-07-10"},{"@type":"Person","@id":"#p","name":"Imtiaz Gul"},{"@type":"Organization","@id":"#o","name":"MatrixMag"}]}</script>'), {
      title: 'Russia & the Taliban', authors: ['Imtiaz Gul'], date: '2021-07-10', publisher: 'MatrixMag',
    });
  });

  test('meta tags when there is no JSON-LD; a broken JSON-LD block is ignored', () => {
    assert.deepEqual(
      meta(`<script type="application/ld+json">{ not json</script><title>Tab title | Site</title><meta property="og:title" content="OG title">
<meta name="author" content="First Author"><meta name="author" content="Second Author"><meta property="article:author" content="https://site.example/a">
<meta property="article:published_time" content="2020-02-29T10:00:00Z"><meta property="og:site_name" content="Site">`),
      { title: 'OG title', authors: ['First Author', 'Second Author'], date: '2020-02-29', publisher: 'Site' },
    );
    assert.deepEqual(meta('<meta name="citation_title" content="A Paper"><meta name="citation_author" content="Roe, Jane"><meta name="citation_publication_date" content="2019/03/07">'), {
      title: 'A Paper', authors: ['Roe, Jane'], date: '2019-03-07',
    });
  });

  test('<title> as the last resort, less the site name the page gives', () => {
    assert.deepEqual(meta('<title>Only a title</title>'), { title: 'Only a title' });
    assert.deepEqual(meta('<title>The Story - Daily News</title><meta property="og:site_name" content="Daily News">'), { title: 'The Story', publisher: 'Daily News' });
  });

  test('dates: a full date as YYYY-MM-DD, the day as the page states it; anything else as written', () => {
    assert.equal(normaliseDate('2021-08-23T23:30:00-04:00'), '2021-08-23');
    assert.equal(normaliseDate('20210823'), '2021-08-23');
    assert.equal(normaliseDate('2021/8/3'), '2021-08-03');
    assert.equal(normaliseDate('23 August 2021'), '2021-08-23');
    assert.equal(normaliseDate('August 23, 2021'), '2021-08-23');
    assert.equal(normaliseDate('Sept. 3rd, 2021'), '2021-09-03');
    assert.equal(normaliseDate('Mon, 23 Aug 2021 10:15:00 GMT'), '2021-08-23');
    assert.equal(normaliseDate('2021-08'), '2021-08');
    assert.equal(normaliseDate('2021'), '2021');
    assert.equal(normaliseDate('07/10/21'), '07/10/21');
    assert.equal(normaliseDate('2021-02-30'), '2021-02-30');
    assert.equal(normaliseDate('  '), undefined);
  });
});

describe('saved pages as a browser saves them', () => {
  test('a page is read in the encoding it declares', () => {
    const latin1 = Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>Café au lait</p></body></html>', 'latin1');
    assert.match(decodeHtml(latin1), /<p>Café au lait<\/p>/u);
    const cyrillic = Buffer.from('<meta charset="windows-1251"><p>\xcc\xee\xf1\xea\xe2\xe0</p>', 'latin1');
    assert.match(decodeHtml(cyrillic), /<p>Москва<\/p>/u);
    assert.match(decodeHtml(Buffer.from('\ufeff<meta charset="iso-8859-1"><p>Żochowski</p>', 'utf8')), /<p>Żochowski<\/p>/u, 'a byte-order mark outweighs the declaration');
    assert.match(decodeHtml(Buffer.from('<meta charset="no-such-encoding"><p>Żochowski</p>', 'utf8')), /<p>Żochowski<\/p>/u);
  });

  test('the NAME_files folder beside NAME.html is the page’s, not sources of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-saved-page-'));
    copyFileSync(join(fixturesDir, 'sources', 'gul2021.html'), join(dir, 'gul2021.html'));
    mkdirSync(join(dir, 'gul2021_files'));
    writeFileSync(join(dir, 'gul2021_files', 'ad-frame.html'), '<p>Buy now</p>');
    writeFileSync(join(dir, 'gul2021_files', 'comments.htm'), '<p>First!</p>');
    mkdirSync(join(dir, 'other_files'));
    writeFileSync(join(dir, 'other_files', 'notes.txt'), 'A folder that merely ends in _files.\n');
    const files = readCorpusFiles(dir);
    assert.deepEqual(files.documents.map((d) => d.path), [join(dir, 'gul2021.html')]);
    assert.deepEqual(files.sources.map((s) => s.path), [join(dir, 'other_files', 'notes.txt')]);
  });
});
