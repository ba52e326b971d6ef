import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractPdf } from '../../../../server/src/engine/corpus/extract/pdf.js';
import { layOutPdf, type PdfPageText, type PdfRun } from '../../../../server/src/engine/corpus/extract/pdf-layout.js';
import { ExtractionError, type ExtractedText } from '../../../../server/src/engine/corpus/extract/extracted.js';
import { loadCorpus } from '../../../../server/src/engine/corpus/load.js';
import { bundledAsShipped, check, corpusDir, root } from '../../../helpers.js';

const sources = join(root, 'test', 'fixtures', 'sources');
const fixture = (name: string): Uint8Array => readFileSync(join(sources, name));

/** Real PDFs nobody here wrote, from Debian's documentation packages (.ci/run installs them). */
const LIBTASN1 = '/usr/share/doc/libtasn1-doc/libtasn1.pdf';
const MIME_SPEC = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const missing = (path: string, pkg: string): string | false =>
  existsSync(path) ? false : `${path} is not installed (apt-get install ${pkg}; .ci/run does)`;
const pdftotextSkip = spawnSync('pdftotext', ['-v']).error ? 'pdftotext is not installed (apt-get install poppler-utils)' : false;

/** The paragraphs: the lines of the text. */
const paragraphs = (extracted: ExtractedText): string[] => extracted.text.split('\n\n');
/** A seed's paragraphs (its non-blank lines) as a reader compares them: white space as one space. */
const seedParagraphs = (key: string): string[] =>
  readFileSync(join(corpusDir, `${key}.txt`), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\s+/gu, ' ').trim())
    .filter((line) => line !== '');
const pageOf = (extracted: ExtractedText, label: string): string => {
  const page = extracted.pages?.find((span) => span.label === label);
  assert.ok(page, `no page ${label}`);
  return extracted.text.slice(page.start, page.end);
};
/** The labels of the pages that hold part of the paragraph starting with `opening`. */
const pagesOf = (extracted: ExtractedText, opening: string): string[] => {
  const start = extracted.text.indexOf(`${opening}`);
  assert.ok(start >= 0 && (start === 0 || extracted.text[start - 1] === '\n'), `no paragraph opens with ${opening}`);
  const end = extracted.text.indexOf('\n', start) < 0 ? extracted.text.length : extracted.text.indexOf('\n', start);
  return (extracted.pages ?? []).filter((page) => page.start < end && page.end > start).map((page) => page.label);
};

/** What `pdftotext` reads on page `n`, letters and digits only, to compare with any extraction. */
function pdftotextPage(file: string, n: number): string {
  // -layout reads the page row by row, as Verbatim does (plain pdftotext reads a table or an index column by column).
  return squeeze(execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' }));
}
function squeeze(text: string): string {
  return text.normalize('NFKC').replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
}

/** The shape every extraction has (extracted.ts): paragraph lines, blank lines between, page spans in order. */
function assertWellFormed(extracted: ExtractedText): void {
  const lines = extracted.text.split('\n');
  lines.forEach((line, i) => {
    if (i % 2 === 1) assert.equal(line, '', `line ${i + 1} separates paragraphs`);
    else assert.match(line, /^\S(?:.*\S)?$/u, `line ${i + 1} is a paragraph with no white space at its ends`);
  });
  assert.doesNotMatch(extracted.text, /[\r\u00AD\uFB00-\uFB06]| {2}/u);
  let previous = 0;
  for (const page of extracted.pages ?? []) {
    assert.ok(page.start >= previous && page.end >= page.start && page.end <= extracted.text.length, JSON.stringify(page));
    previous = page.end;
  }
}

/** Each page's text, as extracted, is on that page for pdftotext too (its first and last words). */
function assertPagesAgreeWithPdftotext(file: string, extracted: ExtractedText): void {
  (extracted.pages ?? []).forEach((page, i) => {
    const ours = squeeze(extracted.text.slice(page.start, page.end));
    if (ours === '') return;
    const theirs = pdftotextPage(file, i + 1);
    assert.ok(theirs.includes(ours.slice(0, 40)), `page ${page.label} opens with ${ours.slice(0, 40)}`);
    assert.ok(theirs.includes(ours.slice(-40)), `page ${page.label} ends with ${ours.slice(-40)}`);
  });
}

describe('PDF layout (runs made by hand)', () => {
  /** A line of text at height y: a run as wide as the 400-point column, or (short) as its characters. */
  type Row = { text: string; y: number; x?: number; size?: number; short?: boolean; raised?: boolean };
  const runsOf = (rows: Row[]): PdfRun[] =>
    rows.map(({ text, y, x = 72, size = 10, short = false }) => ({
      text,
      x,
      y,
      size,
      width: short ? text.length * 0.5 * size : 472 - x,
    }));
  const pageOfRows = (label: string, rows: Row[]): PdfPageText => ({ label, runs: runsOf(rows) });
  /** Paragraphs of lines 12 points apart, a 20-point gap between paragraphs; each paragraph's last line short. */
  const stacked = (...paras: string[][]): Row[] => {
    const rows: Row[] = [];
    let y = 100;
    for (const para of paras) {
      para.forEach((text, i) => rows.push({ text, y: (y += 12), short: i === para.length - 1 }));
      y += 8;
    }
    return rows;
  };
  const textOf = (...paras: string[][]): string => layOutPdf([pageOfRows('1', stacked(...paras))]).text;
  // Lines enough for the document's leading (12 points) to be known.
  const filler = ['Filler text that fills the column of the page from its left to its', 'right margin and then stops.'];

  test('a paragraph is its lines joined by spaces; a gap larger than the leading starts the next', () => {
    assert.equal(textOf(['One line of a paragraph', 'and its second line.'], ['Another paragraph.'], filler), [
      'One line of a paragraph and its second line.',
      'Another paragraph.',
      filler.join(' '),
    ].join('\n\n'));
  });

  test('a word hyphenated at a line end is joined; a soft hyphen is always a break', () => {
    assert.equal(textOf(['The Tali-', 'ban took Kabul.'], filler).split('\n\n')[0], 'The Taliban took Kabul.');
    assert.equal(textOf(['either commercially or non\u00AD', 'commercially.'], filler).split('\n\n')[0], 'either commercially or noncommercially.');
  });

  test('a hyphen at a line end stays when the document hyphenates the word elsewhere, and goes when it joins it', () => {
    assert.equal(textOf(['a well-', 'known plan'], ['It is well-known.'], filler).split('\n\n')[0], 'a well-known plan');
    assert.equal(textOf(['send an e-', 'mail today'], ['An email is fine.'], filler).split('\n\n')[0], 'send an email today');
    assert.equal(textOf(['send an e-', 'mail today'], ['An e-mail is fine.'], filler).split('\n\n')[0], 'send an e-mail today');
  });

  test('with no evidence for the word, the document’s way with its first part decides', () => {
    // A LibreOffice PDF of suchkov2021 breaks "non-resistance" at its hyphen and writes "non-resident" twice.
    assert.equal(
      textOf(['the acquiescence or non-', 'resistance of the major powers'], ['A non-resident scholar, a non-resident expert.'], filler).split('\n\n')[0],
      'the acquiescence or non-resistance of the major powers',
    );
    // libtasn1.pdf's licence: "non-" / "commercially" where the document writes "nontrivial" and no "non-" compound.
    assert.equal(
      textOf(['either commercially or non-', 'commercially, and a nontrivial'], ['section.'], filler).split('\n\n')[0],
      'either commercially or noncommercially, and a nontrivial',
    );
  });

  test('a hyphen at a line end stays before a capitalised word, inside a compound, before a digit, and before "and"/"or"', () => {
    const [capital, acronym, uppercase, compound, digits, suspended] = textOf(
      ['the anti-', 'Taliban forces'],
      ['the MGIMO-', 'University in Moscow'],
      ['ASN1_ELE-', 'MENT_NOT_FOUND if'],
      ['a state-of-', 'the-art plan'],
      ['COVID-', '19 cases'],
      ['the pre-', 'and post-war years'],
      filler,
    ).split('\n\n');
    assert.equal(capital, 'the anti-Taliban forces');
    assert.equal(acronym, 'the MGIMO-University in Moscow');
    assert.equal(uppercase, 'ASN1_ELEMENT_NOT_FOUND if', 'TeX breaks words in capitals too');
    assert.equal(compound, 'a state-of-the-art plan');
    assert.equal(digits, 'COVID-19 cases');
    assert.equal(suspended, 'the pre- and post-war years');
  });

  test('where the producer marks its break hyphens (U+2010), a hyphen-minus at a line end is the author’s', () => {
    const page = pageOfRows('1', stacked(['The Tali\u2010', 'ban took a well-', 'known road.'], filler));
    assert.equal(layOutPdf([page], { breakHyphensMarked: true }).text.split('\n\n')[0], 'The Taliban took a well-known road.');
    // The document shows it too: U+2010 only at line ends.
    assert.equal(layOutPdf([page]).text.split('\n\n')[0], 'The Taliban took a well-known road.');
  });

  test('ligatures go through NFKC, a dash at a line end joins without a space', () => {
    assert.equal(textOf(['The ﬁnal ﬂow—', 'and then the end.'], filler).split('\n\n')[0], 'The final flow—and then the end.');
  });

  test('a first-line indent starts a paragraph; a list item’s hanging indent does not', () => {
    const rows: Row[] = [
      { text: 'First paragraph runs over', y: 112 },
      { text: 'two lines.', y: 124, short: true },
      { text: 'Second paragraph, indented,', y: 136, x: 90 },
      { text: 'also two lines.', y: 148, short: true },
      { text: '•', y: 160, short: true },
      { text: 'A list item whose text runs', y: 160, x: 84 },
      { text: 'on at its hanging indent.', y: 172, x: 84, short: true },
    ];
    assert.deepEqual(layOutPdf([pageOfRows('1', rows)]).text.split('\n\n'), [
      'First paragraph runs over two lines.',
      'Second paragraph, indented, also two lines.',
      '• A list item whose text runs on at its hanging indent.',
    ]);
  });

  test('a line that stops where the next line’s first word would have fitted ends its paragraph', () => {
    const rows: Row[] = [
      { text: 'A heading in body size', y: 112, short: true },
      { text: 'Then a paragraph that fills the line from margin to', y: 124 },
      { text: 'margin.', y: 136, short: true },
    ];
    assert.deepEqual(layOutPdf([pageOfRows('1', rows)]).text.split('\n\n'), [
      'A heading in body size',
      'Then a paragraph that fills the line from margin to margin.',
    ]);
  });

  test('running heads, feet and page numbers go; a paragraph over a page break is one, its page split inside it', () => {
    const ordinal = ['', 'first', 'second', 'third'];
    const pages = [1, 2, 3].map((n) =>
      pageOfRows(n === 1 ? 'iv' : String(n + 2), [
        { text: `Journal of Tests, vol. 3 (2024), p. ${n + 40}`, y: 40, short: true, size: 8 },
        // Body lines differ in their words from page to page, or they would be running heads too.
        { text: `The ${ordinal[n]} page opens with a line of text that fills it`, y: 112 },
        { text: `and its second line fills it as well, up to the last`, y: 124 },
        { text: `line of the ${ordinal[n]} page, which runs over the break to`, y: 136, short: n === 3 },
        { text: String(n + 40), y: 760, short: true },
      ]),
    );
    const extracted = layOutPdf(pages);
    assertWellFormed(extracted);
    assert.doesNotMatch(extracted.text, /Journal of Tests|\b4\d\b/u);
    assert.deepEqual(extracted.pages.map((page) => page.label), ['iv', '4', '5']);
    assert.equal(extracted.text.split('\n\n').length, 1, 'every page runs on into the next');
    assert.equal(
      extracted.text.slice(extracted.pages[1].start, extracted.pages[1].end),
      'The second page opens with a line of text that fills it and its second line fills it as well, up to the last line of the second page, which runs over the break to',
    );
    assert.equal(extracted.text[extracted.pages[1].start - 1], ' ', 'the space that joins the pages belongs to neither');
  });

  test('footnotes in smaller type at the page foot are paragraphs of their own, their marks gone from the text', () => {
    const rows: Row[] = [
      ...stacked(['Body text with a note at the end of this line of the', 'sentence.', '']).filter((row) => row.text !== ''),
      { text: 'Another paragraph of body text that fills its line and', y: 160 },
      { text: 'ends.', y: 172, short: true },
    ];
    const runs = runsOf(rows);
    const mark: PdfRun = { text: '1', x: 72 + 9 * 5, y: 124 - 3.5, size: 6, width: 3 };
    const sentence = runs.find((run) => run.text === 'sentence.')!;
    const page: PdfPageText = {
      label: '1',
      runs: [
        ...runs.filter((run) => run !== sentence),
        { ...sentence, width: 45 },
        mark,
        { text: 'More.', x: 72 + 9 * 5 + 6, y: 124, size: 10, width: 30 },
        { text: '1', x: 72, y: 700 - 3, size: 5, width: 3 },
        { text: 'The note itself, in small type.', x: 75, y: 700, size: 8, width: 120 },
      ],
    };
    const text = layOutPdf([page]).text;
    assert.deepEqual(text.split('\n\n'), [
      'Body text with a note at the end of this line of the sentence. More.',
      'Another paragraph of body text that fills its line and ends.',
      '1 The note itself, in small type.',
    ]);
  });
});

describe('PDF extraction: PDFs made here from the seed articles (Chromium, LibreOffice)', () => {
  let news: ExtractedText;
  let journal: ExtractedText;
  before(async () => {
    news = await extractPdf(fixture('korybko2021-news.pdf'));
    journal = await extractPdf(fixture('zochowski2021-journal.pdf'));
  });

  test('every paragraph of korybko2021 is one paragraph of the news-site PDF, word for word', () => {
    assertWellFormed(news);
    const ours = new Set(paragraphs(news));
    for (const paragraph of seedParagraphs('korybko2021')) assert.ok(ours.has(paragraph), paragraph);
  });

  test('every paragraph of zochowski2021 is one paragraph of the journal PDF, word for word', () => {
    assertWellFormed(journal);
    const ours = new Set(paragraphs(journal));
    for (const paragraph of seedParagraphs('zochowski2021')) assert.ok(ours.has(paragraph), paragraph);
  });

  test('running heads and page numbers are gone; the page masthead stays', () => {
    assert.deepEqual(paragraphs(news).slice(0, 3), [
      'OneWorld',
      'ANALYSIS',
      'Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan',
    ]);
    assert.equal(paragraphs(news).filter((p) => p === 'OneWorld').length, 1, 'the masthead, not the running head of every page');
    assert.doesNotMatch(news.text, /Analysis · Afghanistan|Page \d of \d/u);
    assert.doesNotMatch(journal.text, /Analyses · Russia|^(?:17|18|19|20)$/mu);
    assert.equal(paragraphs(journal).filter((p) => p === 'Piotr Żochowski').length, 1, 'the byline, not the verso heads');
  });

  test('pages: physical numbers where the PDF has no labels, its labels where it has', () => {
    assert.deepEqual(news.pages?.map((page) => page.label), ['1', '2', '3', '4', '5']);
    assert.deepEqual(journal.pages?.map((page) => page.label), ['17', '18', '19', '20']);
  });

  test('a paragraph running over a page break is one paragraph, its next page starting inside it', () => {
    assert.deepEqual(pagesOf(news, 'As it stands, Russia seemingly'), ['1', '2']);
    assert.ok(pageOf(news, '1').endsWith('according to Foreign Minister Lavrov’s earlier words'));
    assert.ok(pageOf(news, '2').startsWith('yet also retains its ban on the group.'));
    assert.deepEqual(pagesOf(news, 'Lavrov also lamented'), ['2']);
    assert.deepEqual(pagesOf(news, 'Westerners are now escaping'), ['3']);
    assert.deepEqual(pagesOf(news, 'The subsequent emergence'), ['5']);
    assert.deepEqual(pagesOf(journal, '• At the same time, despite'), ['19', '20']);
    assert.ok(pageOf(journal, '20').startsWith('Tajikistan and carrying out joint exercises.'));
  });

  test('pages agree with pdftotext on where each begins and ends', { skip: pdftotextSkip }, () => {
    assertPagesAgreeWithPdftotext(join(sources, 'korybko2021-news.pdf'), news);
    assertPagesAgreeWithPdftotext(join(sources, 'zochowski2021-journal.pdf'), journal);
  });

  test('footnotes are paragraphs of their own on the page that cites them, placed before a paragraph that runs over', () => {
    const notes = paragraphs(journal).filter((p) => /^\d /u.test(p));
    assert.deepEqual(notes, [
      '1 A footnote of the test layout, set in smaller type at the foot of the page that cites it.',
      '2 A second footnote: its reference mark is dropped from the body text, and the note stays a paragraph of its own.',
      '3 A third footnote, long enough to run over two lines at the foot of its page, as notes in journals often do.',
      '4 A fourth footnote.',
    ]);
    assert.ok(pageOf(journal, '17').includes(notes[0]) && pageOf(journal, '17').includes(notes[1]));
    assert.ok(pageOf(journal, '18').includes(notes[2]));
    assert.ok(pageOf(journal, '19').includes(notes[3]));
    // The note marks are gone from the sentences that cite them.
    assert.match(journal.text, /the so-called Moscow forum, which \(in addition/u);
    assert.match(journal.text, /Collective Security Treaty Organisation and Uzbekistan/u);
  });

  test('soft hyphens: the word broken at a line end is whole again, and real hyphens stay', () => {
    assert.match(news.text, /former Afghan Ambassador to Pakistan’s suggestion/u);
    for (const word of ['high-ranking', 'power-sharing', 'long-overdue', 'best-case']) assert.ok(news.text.includes(word), word);
  });

  test('a quotation from the article verifies verbatim, across a page break and a footnote mark', async () => {
    // The PDFs themselves, in a corpus folder, read by the corpus loader as the CLI and the editor read them.
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-pdf-corpus-'));
    copyFileSync(join(sources, 'korybko2021-news.pdf'), join(dir, 'korybko2021.pdf'));
    copyFileSync(join(sources, 'zochowski2021-journal.pdf'), join(dir, 'zochowski2021.pdf'));
    const corpus = await loadCorpus(dir);
    assert.deepEqual(corpus.problems, []);
    assert.deepEqual(corpus.sources.map((s) => [s.key, s.format]), [['korybko2021', 'pdf'], ['zochowski2021', 'pdf']]);
    const note = [
      'Korybko reads Moscow as one that "still regards the Taliban as “reasonable” according to Foreign Minister Lavrov’s earlier words yet also retains its ban on the group" [@korybko2021].',
      '',
      'Żochowski notes the "so-called Moscow forum, which (in addition to the Taliban and other Afghan political forces) also includes the five countries" [@zochowski2021].',
      '',
    ].join('\n');
    assert.deepEqual(check(note, corpus), []);
  });

  test('metadata: the title the page printed, no date (a print’s creation date is the day it was printed)', () => {
    assert.deepEqual(news.metadata, { title: 'Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan' });
    assert.deepEqual(journal.metadata, { title: 'Russia and the Taliban’s takeover in Afghanistan' });
  });

  test('suchkov2021 exported to PDF by LibreOffice: every paragraph, real hyphens at line ends kept', async () => {
    const extracted = await extractPdf(fixture('suchkov2021-libreoffice.pdf'));
    assertWellFormed(extracted);
    const ours = new Set(paragraphs(extracted));
    // Its lines are paragraphs with no space, indent or size between them; a heading after a line that ends
    // nearly full ("… meeting with the Iranians.") cannot be told from the same paragraph read on.
    const heading = 'Russia’s red lines';
    for (const paragraph of seedParagraphs('suchkov2021')) {
      if (paragraph === heading) continue;
      if (paragraph.endsWith('another was meeting with the Iranians.')) assert.ok(ours.has(`${paragraph} ${heading}`), paragraph);
      else assert.ok(ours.has(paragraph), paragraph);
    }
    assert.match(extracted.text, /the acquiescence or non-resistance of the major powers/u);
    assert.match(extracted.text, /\(MGIMO-University\)/u);
    assert.deepEqual(extracted.pages?.map((page) => page.label), ['1', '2']);
    assert.deepEqual(pagesOf(extracted, 'The Taliban sought to provide reassurances'), ['2']);
  });

  test('suchkov2021 pages agree with pdftotext', { skip: pdftotextSkip }, async () => {
    assertPagesAgreeWithPdftotext(join(sources, 'suchkov2021-libreoffice.pdf'), await extractPdf(fixture('suchkov2021-libreoffice.pdf')));
  });

  test('line-end hyphens in a monospaced column: soft hyphen joined, real hyphens kept, ligature character spelled out', async () => {
    const extracted = await extractPdf(fixture('hyphens.pdf'));
    assert.equal(extracted.text, 'Reports had it the Taliban took Kabul, a well-known plan and a long-term view.\n\nThe final report was short.');
    // Its only title is the HTML file's name, which Chromium puts there when the page has none.
    assert.equal(extracted.metadata, undefined);
  });
});

test('a page turned by /Rotate is read the way its text runs', async () => {
  assert.equal((await extractPdf(fixture('rotated.pdf'))).text, (await extractPdf(fixture('hyphens.pdf'))).text);
});

describe('PDF metadata', () => {
  test('the info dictionary, without a title that names a file, authors split at semicolons, the creation date', async () => {
    assert.deepEqual((await extractPdf(fixture('info-word.pdf'))).metadata, { authors: ['Jane Doe', 'John Roe'], date: '2021-08-16' });
  });

  test('an XMP packet wins over the info dictionary (whose "untitled" and "Administrator" are junk anyway)', async () => {
    assert.deepEqual((await extractPdf(fixture('xmp.pdf'))).metadata, {
      title: 'Hyphens at Line Ends',
      authors: ['Ann Example', 'Bo Example'],
      date: '2021-08-16',
    });
  });
});

describe('PDF extraction: real PDFs from Debian documentation', () => {
  // Each PDF is read once for the tests that look at it.
  const read = new Map<string, Promise<ExtractedText>>();
  const extractFile = (path: string): Promise<ExtractedText> => {
    if (!read.has(path)) read.set(path, extractPdf(readFileSync(path)));
    return read.get(path)!;
  };

  test('libtasn1.pdf (Texinfo, pdfTeX)', { skip: missing(LIBTASN1, 'libtasn1-doc') }, async () => {
    const extracted = await extractFile(LIBTASN1);
    assertWellFormed(extracted);
    const all = paragraphs(extracted);
    assert.deepEqual(extracted.pages?.map((page) => page.label), ['T-1', 'T-2', 'i', ...Array.from({ length: 33 }, (_, i) => String(i + 1))]);
    // Paragraphs read off the PDF; "manip-/ulation" and "man-/agement" are hyphenated at line ends there.
    assert.ok(all.includes(
      'This manual is for GNU Libtasn1 (version 4.19.0, 18 August 2022), which is a library for Abstract Syntax Notation One (ASN.1) and Distinguished Encoding Rules (DER) manipulation.',
    ));
    assert.ok(all.includes(
      'This document describes the Libtasn1 library that provides Abstract Syntax Notation One (ASN.1, as specified by the X.680 ITU-T recommendation) parsing and structures management, and Distinguished Encoding Rules (DER, as per X.690) encoding and decoding functions.',
    ));
    // "non-/commercially" at a line end in the licence is "noncommercially", as the licence spells it elsewhere.
    assert.ok(all.some((p) => p.includes('either commercially or noncommercially. Secondarily, this License preserves')));
    // Real hyphens stay.
    assert.ok(all.includes('• On-line ASN.1 structure management that doesn’t require any C code file generation.'));
    assert.ok(all.includes('• Thread-safety. No global variables are used and multiple library handles and session handles may be used in parallel.'));
    assert.ok(extracted.text.includes('The command line tools, self-tests and build infrastructure'));
    // Running heads ("Chapter 4: Function reference 12") and page numbers are gone.
    assert.equal(all.filter((p) => /^Chapter \d+:|^Appendix A: Copying Information/u.test(p)).length, 0);
    assert.equal(all.filter((p) => /^(?:\d+|[ivx]+)$/u.test(p)).length, 0);
    // The page labelled 1 starts at the chapter heading; a licence paragraph runs from page 27 onto 28.
    assert.ok(pageOf(extracted, '1').startsWith('1 Introduction\n\nThis document describes'));
    assert.deepEqual(pagesOf(extracted, 'If the Modified Version includes new front-matter sections'), ['27', '28']);
    assert.ok(pageOf(extracted, '28').startsWith('your option designate some or all of these sections as invariant.'));
    // Ligatures: pdfTeX's fi/fl glyphs come out as letters.
    assert.doesNotMatch(extracted.text, /[\uFB00-\uFB06]/u);
    assert.ok(extracted.text.includes('specified') && extracted.text.includes('file'));
    assert.deepEqual(extracted.metadata, { date: '2025-02-08' });
  });

  test('libtasn1.pdf pages agree with pdftotext', { skip: missing(LIBTASN1, 'libtasn1-doc') || pdftotextSkip }, async () => {
    assertPagesAgreeWithPdftotext(LIBTASN1, await extractFile(LIBTASN1));
  });

  test('shared-mime-info-spec.pdf (DocBook, pdfTeX)', { skip: missing(MIME_SPEC, 'shared-mime-info') }, async () => {
    const extracted = await extractFile(MIME_SPEC);
    assertWellFormed(extracted);
    const all = paragraphs(extracted);
    assert.deepEqual(extracted.pages?.map((page) => page.label), Array.from({ length: 17 }, (_, i) => String(i + 1)));
    assert.ok(all.includes(
      'This specification attempts to unify the MIME database systems currently in use by GNOME[GNOME], KDE[KDE] and ROX[ROX], and provide room for future extensibility.',
    ));
    // The running head is the title: once, on the title page.
    assert.equal(all.filter((p) => p === 'Shared MIME-info Database').length, 1);
    assert.equal(all.filter((p) => /^\d+$/u.test(p)).length, 0);
    // A paragraph runs from page 2 onto page 3.
    assert.deepEqual(pagesOf(extracted, 'For example, when using the default paths'), ['2', '3']);
    assert.ok(pageOf(extracted, '3').startsWith('directory is added to the information found in previous directories'));
    assert.deepEqual(extracted.metadata, { date: '2022-04-29' });
  });

  test('shared-mime-info-spec.pdf pages agree with pdftotext', { skip: missing(MIME_SPEC, 'shared-mime-info') || pdftotextSkip }, async () => {
    assertPagesAgreeWithPdftotext(MIME_SPEC, await extractFile(MIME_SPEC));
  });
});

describe('PDF extraction: what cannot be read', () => {
  const rejects = (bytes: Uint8Array, message: RegExp): Promise<void> =>
    assert.rejects(extractPdf(bytes), (error: unknown) => {
      assert.ok(error instanceof ExtractionError, String(error));
      assert.match(error.message, message);
      return true;
    });

  test('a scan, with no text layer', () => rejects(fixture('image-only.pdf'), /^PDF has no text layer \(scanned images\?\); run OCR first$/u));

  test('an encrypted PDF that needs a password', () => rejects(fixture('encrypted.pdf'), /encrypted.*password/u));

  test('a PDF with only an owner password is read like any other', async () => {
    assert.equal((await extractPdf(fixture('owner-locked.pdf'))).text, (await extractPdf(fixture('hyphens.pdf'))).text);
  });

  test('a PDF cut in half', async () => {
    const bytes = fixture('korybko2021-news.pdf');
    await rejects(bytes.subarray(0, bytes.length >> 1), /^PDF is incomplete/u);
    // Even with an end marker put back, what is left is no PDF.
    const patched = Buffer.concat([bytes.subarray(0, bytes.length >> 1), Buffer.from('\n%%EOF\n')]);
    await rejects(patched, /^PDF is damaged and cannot be read/u);
  });

  test('a file that is no PDF', () => rejects(readFileSync(join(corpusDir, 'gul2021.txt')), /^File is not a PDF/u));

  test('the caller’s bytes are left as they were', async () => {
    const bytes = fixture('hyphens.pdf');
    const copy = Buffer.from(bytes);
    await extractPdf(bytes);
    assert.equal(bytes.byteLength, copy.byteLength);
    assert.ok(Buffer.from(bytes).equals(copy));
  });
});

describe('PDF extraction bundled as the CLI is', () => {
  test('an esbuild CommonJS bundle with the project’s options reads a PDF as tsx does, with no node_modules beside it', async () => {
    // Outside the project, as in the .vsix: pdfjs's optional canvas package cannot be found.
    const { dir, bundle } = await bundledAsShipped(
      `import { readFileSync } from 'node:fs';
import { extractPdf } from ${JSON.stringify(join(root, 'server/src/engine/corpus/extract/pdf.ts'))};
extractPdf(readFileSync(process.argv[2])).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });
`,
      true,
    );
    const run = spawnSync(process.execPath, [bundle, join(sources, 'zochowski2021-journal.pdf')], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), await extractPdf(fixture('zochowski2021-journal.pdf')));
  });
});
