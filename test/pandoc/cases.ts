/**
 * Markdown cases for the Pandoc differential test (test/pandoc-citations.test.ts).
 * Each case is a document fragment of one or more blocks; the test reads every
 * case with Verbatim and with Pandoc and compares the citation keys.
 *
 * Cases after the citation examples of Pandoc's manual (MANUAL.txt, "Citation
 * syntax") and of its citeproc tests (test/command/*.md), written anew here,
 * then edge cases generated class by class.
 */

/** After the manual's "Citation syntax" section: groups, prefixes, locators, suffixes, braces, author suppression, in-text forms. */
export const manualCases: readonly string[] = [
  'Blah blah [@doe99; @smith2000; @smith2004].',
  'In `@Foo_bar.baz.` the key is @Foo_bar.baz. and a period ends the sentence.',
  'In braces the period stays: @{Foo_bar.baz.} is the key.',
  'Repeated punctuation ends a key: @Foo_bar--baz.',
  'A URL as a key: [@{https://example.com/bib?name=foobar&date=2000}, p.  33].',
  'Blah blah [see @doe99, pp. 33-35 and *passim*; @smith04, chap. 1].',
  'A forced locator [@smith{ii, A, D-Z}, with a suffix].',
  'A locator in braces [@smith, {pp. iv, vi-xi, (xv)-(xvii)} with suffix here].',
  'No locator at all [@smith{}, 99 years later].',
  'Smith says blah [-@smith04].',
  '@smith04 says blah.',
  '@smith04 [p. 33] says blah.',
  'Some studies [@foo; @bar, p. 33] show that frubulicious zoosnaps are quantical. For a survey of the literature, see @baz [chap. 1].',
  'Blah blah [@foo, p. 33].',
];

/** After Pandoc's citeproc tests (test/command/citeproc-*.md and the locator tests). */
export const suiteCases: readonly string[] = [
  '[@nonexistent]',
  '@nonexistent',
  '@item1 says blah.',
  '@item1 [p. 30] says blah.',
  '@item1 [p. 30, with suffix] says blah.',
  '@item1 [-@item2 p. 30; see also @пункт3] says blah.',
  'In a note.[^suite1]\n\n[^suite1]: @пункт3 [p. 12] and a citation without locators [@пункт3].',
  'A citation group [see @item1 chap. 3; also @пункт3 p. 34-35].',
  'Another one [see @item1 p. 34-35].',
  'And another one in a note.[^suite2]\n\n[^suite2]: Some citations [see @item1 chap. 3; @пункт3; @item2].',
  'Citation with a suffix and locator [@item1 pp. 33, 35-37, and nowhere\nelse].',
  'Citation with suffix only [@item1 and nowhere else].',
  'Now some modifiers.[^suite3]\n\n[^suite3]: Like a citation without author: [-@item1], and now Doe with a\n    locator [-@item2 p. 44].',
  'With some markup [*see* @item1 p. **32**].',
  'Standard page range[@citekey {35-89, 102}]',
  'Alphanumeric[@citekey {abcdefg1234}]',
  'Kitchen sink[@citekey, {123(4)a-8(\\[a\\]12.398{8})}]',
  'Empty braces inside[@citekey, {{}}]',
  'Label specified[@citekey {p. a}]',
  'Not outside [@citekey, p. {(a)}]',
  'Empty locator [@citekey, {}]',
  'Empty locator to force suffix[@citekey {} 123-35 numbers are suffix]',
  '[@citekey, 89, and suffix]',
  '[@citekey, 123-79, and suffix]',
  '[@citekey, xi, will be entirely suffix]',
  '[@citekey, p. xi, a (page) locator xi]',
  '[@citekey, pp. VII, 89, pages VII, 89]',
  '[@citekey \\[89\\]]',
  '[@citekey, p. \\[89\\]]',
  '[@citekey and nothing else]',
  '[@citekey, 3(a), 4.4.8, \\[7.6\\], 7A(2)(a)(i)-(iv)]',
  'Test [@test, 12].\n\nTest.^[asdfasdf]\n\nTest [@test, 12].',
  'This is a test [@test].',
  'Foo [@item1; @item2]. Bar [@item1, p. 3; -@item2].',
];

const KEY_PUNCTUATION = [':', '.', '#', '$', '%', '&', '-', '+', '?', '<', '>', '~', '/'];
/** What may stand right before an `@`: Pandoc reads a citation unless it follows a word (letters, digits, a `.` run). */
const BEFORE_AT = [...'!"#$%&\'()*+,-./:;=?^_{|}~', '—', '–', '’', '“', '«', '\u00a0', '\u200b', 'x', '9', 'é', 'я', '日', '...', '**', '__'];
const AFTER_KEY = [...'.,;:!?)\'"*_', '’', '”', '»', '—', '–', '…', "'s", '’s', '\u00a0x', '/', '-x', '.x', ':x', '--x', '..x', '#1', '+1', '~x', '?x'];
const PREFIXES = ['', 'see ', '*see* ', 'e.g., ', 'cf.\\ ', 'compare '];
const LOCATORS = ['', ', p. 33', ', pp. 33-35', ', ¶ 4', ', paras. 5–6', ' chap. 3', ', sec. 2', ', 33', ', {ii, A}', '{}', ', xi'];
const SUFFIXES = ['', ', and *passim*', ' and elsewhere', ', for context'];
const KEYS = ['korybko2021', 'Doe_99', 'a1', '_x', '1999', 'пункт3', 'Ωmega', 'ключ_1', 'مفتاح', '日本語', 'doe:1999', 'doe.1999', 'a#b', 'a$b', 'a%b', 'a&b', 'a+b', 'a?b', 'a~b', 'a/b', 'a-b-c'];
const BRACED_KEYS = ['https://example.com/a', 'https://doi.org/10.1000/182', 'http://x.org/p?q=1&r=2', 'doi:10.1000/182', 'Foo bar', 'a{b}c', 'key.', 'urn:isbn:0451450523', 'file:///tmp/x.bib', 'https://medium.com/@writer/post'];

/** Generated edge cases, class by class. */
export function edgeCases(): string[] {
  const cases: string[] = [];
  // Key characters: internal, trailing and doubled punctuation, in narrative and bracketed citations.
  KEY_PUNCTUATION.forEach((p, i) => {
    cases.push(`Says @kp${i}${p}x here.`, `Says @kq${i}${p} here.`, `Says @kr${i}${p}${p}x here.`, `Cited [@ks${i}${p}x].`, `Cited [@kt${i}${p}].`);
  });
  // Every kind of key, narrative and bracketed.
  for (const key of KEYS) cases.push(`As @${key} writes.`, `As written [@${key}].`, `As written [see @${key}, p. 3].`);
  for (const key of BRACED_KEYS) cases.push(`As @{${key}} writes.`, `As written [@{${key}}, p. 3].`, `As written [see @{${key}}; @plain].`);
  // What stands right before the `@`.
  BEFORE_AT.forEach((before, i) => cases.push(`Text ${before}@ba${i} more.`, `Word${before}@bb${i} more.`));
  // Punctuation after a key.
  AFTER_KEY.forEach((after, i) => cases.push(`Text @ak${i}${after} more.`, `Text [@al${i}${after}] more.`));
  // Prefixes, locators and suffixes, one item and two.
  PREFIXES.forEach((prefix, i) =>
    LOCATORS.forEach((locator, j) =>
      SUFFIXES.forEach((suffix, k) => {
        cases.push(`Text [${prefix}@p${i}l${j}s${k}${locator}${suffix}].`);
        if ((i + j + k) % 3 === 0) cases.push(`Text [${prefix}@q${i}l${j}s${k}${locator}${suffix}; ${prefix}-@r${i}l${j}s${k}${locator}${suffix}].`);
      }),
    ),
  );
  // Author suppression and in-text (narrative) forms.
  cases.push(
    'Smith [-@sa1] says so.',
    'Text [see -@sa2, p. 4].',
    'Text [-@sa3; -@sa4].',
    'Text -@sa5 says.',
    'Text --@sa6 says.',
    '@sn1 says blah.',
    '@sn2 [p. 4] says blah.',
    '@sn3 [-@sn4] says blah.',
    '@sn5 [see @sn6, p. 3] says blah.',
    '@sn7 [p. 4; @sn8] says blah.',
    '@sn9\n[p. 4] says blah.',
    'As @sn10 [¶ 4] notes.',
    'As @sn11 [paras. 5–6] notes.',
    '@sn12 @sn13 @sn14',
    '@@sn15 twice.',
    'As @sn16\'s book says.',
    'As @sn17’s book says.',
    'Text (@sn18) writes.',
    '(see @sn19, p. 3)',
  );
  // A second key inside an item's suffix or prefix.
  cases.push(
    '[@sx1, cf. @sx2]',
    '[@sx3 @sx4]',
    '[@sx5 and @sx6; @sx7]',
    '[see @sx8 and @sx9]',
    '[@sx10, cf. @sx11, p. 5]',
    '[@sx12, cf. @{sx13}]',
    '[@sx14, (@sx15)]',
    '[@sx16, "@sx17"]',
    '[@sx18, x@sx19]',
    '[@sx20 [@sx21]]',
    '[text [@sx22] more]',
    '[[@sx23]]',
    '[@sx24;]',
    '[;@sx25]',
    '[@sx26; see]',
    '[@sx27, see [@sx28]]',
    '[@sx29; @sx30 @sx31; @sx32]',
    '[@sx33, p. 3 @sx34]',
  );
  // Emails and URLs.
  cases.push(
    'Write to user@example.com today.',
    'Write to <user@example.com> today.',
    'Write to [me](mailto:user@example.com) today.',
    'Write to first.last@example.org or (user@host).',
    'See https://medium.com/@writer for more.',
    'See <https://medium.com/@writer> for more.',
    'See [the post](https://medium.com/@writer/post) for more.',
    'See www.example.com/@writer for more.',
    'A handle: @handle_1 on the web.',
  );
  // Backslash escapes and emphasis in or after keys.
  cases.push(
    'Escaped \\@es1 here.',
    'Escaped @es2\\_x here.',
    'Escaped @es3\\. here.',
    'Escaped \\[@es4\\] here.',
    'Escaped [@es5\\] here.',
    'Escaped \\\\@es6 here.',
    'Emphasis @es7*f* here.',
    'Emphasis *@es8*f here.',
    'Emphasis **@es9** here.',
    'Emphasis *see* [@es10] here.',
    'Emphasis _@es11_ here.',
    'Emphasis @es12_x_ here.',
    'Emphasis x*@es13* here.',
    'Strike ~~@es14~~ here.',
    'Super H~2~O @es15 x^2^ @es16 here.',
    'Entity &#64;es17 here.',
    'Entity &commat;es18 here.',
    'Entity &#x40;es19 here.',
    'Entity [&#64;es20] here.',
    'Entity @es21&amp;x here.',
    'Abbreviation e.g.@es22 here.',
    'Abbreviation i.e. @es23 here.',
    'Ellipsis x...@es24 here.',
  );
  // Code.
  cases.push(
    'Code `@co1` here.',
    'Code ``@co2`` here.',
    'Code `[@co3]` then [@co4].',
    '```\n@co5 [@co6]\n```',
    '    @co7 indented code',
    '~~~ {.md}\n[@co8]\n~~~',
    'Code `x`{.y} @co9 here.',
  );
  // HTML and comments.
  cases.push(
    'HTML <span>@ht1</span> here.',
    'HTML <span title="@ht2">x</span> here.',
    'HTML <b>[@ht3]</b> here.',
    '<!-- comment --> then @ht4.',
    '<!-- @ht5 -->',
    '<!-- comment -->\n@ht6 on the next line.',
    'Text <!-- @ht7 --> and @ht8.',
    'a <!-- x --> b @ht9 <!-- y --> @ht10',
    '<!--\n@ht11\n--> @ht12 after.',
    '<!-- one --> <!-- two --> [@ht13]',
    'HTML <a href="mailto:x@ht14.org">@ht15</a>.',
    'HTML <br>@ht16 here.',
    '[@ht17 <!-- @ht18 --> x]',
    '[@ht19 <span>@ht20</span>]',
    '- <!-- in a list --> item @ht21',
    '> <!-- in a quote --> quoted [@ht22]',
  );
  // TeX math and raw TeX.
  cases.push(
    'Math $@ma1$ here.',
    'Math $$@ma2$$ here.',
    'Math $x$ @ma3 $$y$$ @ma4 here.',
    'Money $5 and @ma5 and $6 here.',
    'Math $ @ma6 $ here.',
    'Math \\$@ma7\\$ here.',
    'Math [@ma8 $@ma9$]',
    'TeX \\cite{ma10} and @ma11.',
    'TeX \\emph{@ma12} here.',
    'TeX \\ref{@ma13} and @ma14.',
    'TeX \\textit{x} @ma15 here.',
    'TeX \\(@ma16\\) here.',
    'TeX \\\\emph{@ma17} here.',
    'TeX \\begin{quote}@ma18\\end{quote} and @ma19.',
    'TeX \\cite[p. 3]{ma20} and \\LaTeX{} @ma21.',
  );
  // Attributes.
  cases.push(
    'Span [x]{#id data-x="@at1"} here.',
    'Span [x]{key="@at2"} @at3 here.',
    'Span [@at4]{.class} here.',
    'Code `c`{.x k="@at5"} here.',
    'Heading below\n\n# Heading @at6 {#h}',
    'Image ![i](u.png){alt="@at7"} here.',
    'Braces {@at8} here.',
    'Braces {#id @at9} here.',
  );
  // Images: their alt text is a caption.
  cases.push(
    '![A caption [@im1]](figure.png)',
    '![A caption @im2](figure.png)',
    'Inline ![alt @im3](x.png) and text.',
    'Title ![x](y.png "title @im4") here.',
    '![A *caption* [see @im5, p. 3]](figure.png)',
    'Reference ![alt @im6][pic] here.\n\n[pic]: pic.png',
    '![Nested [brackets] and @im7](x.png)',
  );
  // Footnotes.
  cases.push(
    'Noted.[^fn1]\n\n[^fn1]: See [@fn2, p. 3].',
    'Noted.[^fn3]\n\n[^fn3]: @fn4 says so.\n\n    More [@fn5].',
    'Inline.^[See [@fn6].]',
    'Inline.^[@fn7 says so.]',
  );
  // Tables.
  cases.push(
    '| quote | source |\n|---|---|\n| words | [@tb1, ¶ 2] |\n| more | @tb2 |',
    '| a | b |\n|---|---|\n| [@tb3] | [@tb4; @tb5] |',
    'Grid below\n\n+--------+---+\n| [@tb6] | x |\n+--------+---+',
  );
  // Lists and blockquotes.
  cases.push(
    '- one [@li1]\n- two @li2',
    '1. first [@li3]\n2. second [@li4]',
    '* nested\n    * deeper [@li5]',
    'Term\n:   definition [@li6]',
    '> quoted [@bq1]\n>\n> -- [@bq2, ¶ 3]',
    '> > nested @bq3',
  );
  // Links.
  cases.push(
    'Link [see @lk1](http://x.org) here.',
    'Link [@lk2](http://x.org) here.',
    'Link [@lk3][ref] here.\n\n[ref]: http://x.org',
    'Link [@lk4][] here.',
    'Link <http://x.org/@lk5> here.',
  );
  return cases;
}

/**
 * Where Verbatim deliberately reads otherwise than Pandoc. Each is checked
 * both ways, so the difference stays exactly what the README says it is.
 */
export interface Difference {
  readonly markdown: string;
  readonly verbatim: readonly string[];
  readonly pandoc: readonly string[];
  readonly why: string;
}

export const differences: readonly Difference[] = [
  {
    markdown: '(@ex1) An example item.\n\n(@ex2) Another, after @ex1.',
    verbatim: ['ex1', 'ex2', 'ex1'],
    pandoc: [],
    why: 'Pandoc numbers example-list labels and their references; Verbatim reads each `@label` as a citation',
  },
  {
    markdown: 'As @ex3 shows:\n\n@ex3.  An example item after its reference.',
    verbatim: ['ex3', 'ex3'],
    pandoc: [],
    why: 'an `@label.` list item is an example too',
  },
];

/** Front matter is read in a document of its own: Pandoc takes YAML metadata only at a block boundary, Verbatim only at the top. */
export const frontMatterCase = {
  markdown: '---\ntitle: A note on @fm1\nnocite: |\n  @fm2, @fm3\n---\n\nBody [@fm4].',
  verbatim: ['fm4'],
  pandocBody: ['fm4'],
  pandocMetadata: ['fm1', 'fm2', 'fm3'],
};
