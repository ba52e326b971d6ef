// Makes the PDF test fixtures in test/fixtures/sources/ from two of the bundled seed articles,
// printed by headless Chromium, so that tests read PDFs laid out the way real ones are:
//
//   korybko2021-news.pdf      corpus/korybko2021.txt as a news site prints it: ragged right, a gap between
//                             paragraphs, a running head and "Page N of M" in the page margins (CSS margin
//                             boxes), soft hyphens in long words (Chromium does not hyphenate on its own).
//   zochowski2021-journal.pdf corpus/zochowski2021.txt as a journal prints it: justified, first-line indents,
//                             footnotes in smaller type at the foot of the page they are cited on, running
//                             heads that alternate between verso and recto, page numbers, paragraphs split
//                             across page breaks — paginated by a script in the page — and page labels
//                             17, 18, … as in an issue (added with qpdf).
//   suchkov2021-libreoffice.pdf  corpus/suchkov2021.txt opened in LibreOffice Writer and exported to PDF: another
//                             producer, ragged lines, real hyphens at line ends ("non-resistance", "MGIMO-University").
//   hyphens.pdf               a few lines in a monospaced font whose breaks are fixed by the column width:
//                             a soft-hyphen break, real hyphens at line ends, a ligature character.
//   info-word.pdf, xmp.pdf    hyphens.pdf with the metadata office software writes: a junk title and authors
//                             in the info dictionary; an XMP packet with title, creators and date (qpdf).
//   rotated.pdf               hyphens.pdf turned a quarter by /Rotate (qpdf): read as a reader turns the page.
//   image-only.pdf            a page holding nothing but a PNG picture of text lines (a "scan").
//   encrypted.pdf             hyphens.pdf encrypted with a user password (qpdf).
//   owner-locked.pdf          the same with only an owner password: anyone can open and read it.
//
// Needs Debian's chromium, libreoffice-writer, qpdf and poppler-utils (pdftotext, to check that the breaks the tests rely on
// happened). Run as root: node scripts/make-fixture-pdfs.mjs. The PDFs are committed; CI does not run this.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures', 'sources');
const work = mkdtempSync(join(tmpdir(), 'verbatim-pdf-'));

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Paragraph lines of a seed (every non-blank line), as the plain-text source numbers them. */
const seed = (key) =>
  readFileSync(join(root, 'corpus', `${key}.txt`), 'utf8')
    .split('\n')
    .filter((line) => /\S/.test(line));

/**
 * Soft hyphens in words of seven letters or more, at rough syllable breaks (between two consonants, or
 * before a consonant followed by a vowel), leaving at least three letters on each side.
 */
function softHyphens(text) {
  const vowel = /[aeiouy]/i;
  const digraph = /^(?:ch|sh|th|ph|gh|ck|qu|wh)$/i;
  return text.replace(/\p{L}{7,}/gu, (word) => {
    let result = '';
    let last = 0;
    for (let i = 3; i <= word.length - 3; i++) {
      const prev = word[i - 1];
      const here = word[i];
      const next = word[i + 1];
      const consonantPair = !vowel.test(prev) && !vowel.test(here) && vowel.test(next) && !digraph.test(prev + here);
      const beforeSyllable = vowel.test(prev) && !vowel.test(here) && vowel.test(next);
      if ((consonantPair || beforeSyllable) && i - last >= 3) {
        result += word.slice(last, i) + '&shy;';
        last = i;
      }
    }
    return result + word.slice(last);
  });
}

function chromium(html, name) {
  const file = join(work, `${name}.html`);
  writeFileSync(file, html);
  const pdf = join(work, `${name}.pdf`);
  execFileSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-pdf-header-footer',
      `--user-data-dir=${join(work, 'profile')}`,
      `--print-to-pdf=${pdf}`,
      file,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  return pdf;
}

function pdftotext(pdf, ...args) {
  return execFileSync('pdftotext', [...args, pdf, '-'], { encoding: 'utf8' });
}

function check(condition, what) {
  if (!condition) throw new Error(`fixture check failed: ${what}`);
}

// ------------------------------------------------------------------ the news site

function newsPage() {
  const lines = seed('korybko2021');
  const [title, lede, ...rest] = lines;
  const tail = rest.slice(-3); // By Andrew Korybko, Source: OneWorld, Similar Posts
  const body = rest.slice(0, -3);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
  @page {
    size: 5in 7in;
    margin: 0.75in 0.6in 0.7in;
    @top-left { content: "OneWorld"; font: bold 8pt 'Liberation Sans'; color: #444; }
    @top-right { content: "Analysis · Afghanistan"; font: 8pt 'Liberation Sans'; color: #444; }
    @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 8pt 'Liberation Sans'; color: #444; }
  }
  body { margin: 0; font: 10.5pt/1.4 'Liberation Serif'; color: #111; }
  .masthead { font: bold 20pt 'Liberation Sans'; letter-spacing: 0.02em; margin: 0 0 0.2em; }
  .section { font: 8pt 'Liberation Sans'; text-transform: uppercase; color: #a00; margin: 0 0 1.2em; }
  h1 { font: bold 17pt/1.2 'Liberation Sans'; margin: 0 0 0.6em; }
  .lede { font: italic 12pt/1.35 'Liberation Serif'; margin: 0 0 1.2em; }
  p { margin: 0 0 0.8em; text-align: left; }
  .byline, .source { font: 9pt 'Liberation Sans'; margin: 0 0 0.5em; }
  h3 { font: bold 12pt 'Liberation Sans'; margin: 1.4em 0 0.4em; }
</style></head>
<body>
<div class="masthead">OneWorld</div>
<div class="section">Analysis</div>
<h1>${escape(title)}</h1>
<p class="lede">${softHyphens(escape(lede))}</p>
${body.map((line) => `<p>${softHyphens(escape(line))}</p>`).join('\n')}
<p class="byline">${escape(tail[0])}</p>
<p class="source">${escape(tail[1])}</p>
<h3>${escape(tail[2])}</h3>
</body></html>`;
}

// ------------------------------------------------------------------ the journal

/** The journal's footnotes: where each is cited (after the words given) and what it says. */
const NOTES = [
  { after: 'the so-called Moscow forum', text: 'A footnote of the test layout, set in smaller type at the foot of the page that cites it.' },
  { after: 'Collective Security Treaty Organisation', text: 'A second footnote: its reference mark is dropped from the body text, and the note stays a paragraph of its own.' },
  { after: 'Hamid Karzai and Gulbuddin Hekmatyar)', text: 'A third footnote, long enough to run over two lines at the foot of its page, as notes in journals often do.' },
  { after: 'list of terrorist organisations', text: 'A fourth footnote.' },
];

function journalPage() {
  const [kicker, title, label, author, ...rest] = seed('zochowski2021');
  let noteNumber = 0;
  const noteHtml = [];
  /** A paragraph's words, with the note references of NOTES spliced in after their anchor words. */
  const tokens = (text) => {
    let html = escape(text.trim());
    for (const note of NOTES) {
      if (!html.includes(escape(note.after))) continue;
      noteNumber += 1;
      noteHtml.push(`<p class="note" data-note="${noteNumber}"><sup>${noteNumber}</sup> ${escape(note.text)}</p>`);
      // One attribute and no space inside the tag: the paragraph is cut into words at spaces.
      html = html.replace(escape(note.after), `${escape(note.after)}<sup data-ref="${noteNumber}">${noteNumber}</sup>`);
    }
    return softHyphens(html)
      .split(/ +/)
      .filter((token) => token !== '');
  };
  const blocks = [];
  let afterHeading = true;
  for (const line of rest) {
    if (!/[.!?]$/.test(line.trim()) && line.trim().length < 40) {
      blocks.push({ kind: 'h2', html: escape(line.trim()) });
      afterHeading = true;
      continue;
    }
    const bullet = /^\s*•\s*/.exec(line);
    const words = tokens(bullet ? line.slice(bullet[0].length) : line);
    blocks.push({ kind: bullet ? 'item' : afterHeading ? 'first' : 'para', words });
    afterHeading = false;
  }
  const headerVerso = escape(author);
  const headerRecto = 'Analyses · Russia and the Taliban';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="author" content="${escape(author)}">
<style>
  @page { size: 5.5in 8in; margin: 0; }
  html, body { margin: 0; padding: 0; }
  body { font: 10pt/13pt 'Liberation Serif'; color: #000; }
  .page { width: 5.5in; height: 7.99in; box-sizing: border-box; padding: 0.55in 0.65in 0.5in; display: flex; flex-direction: column; overflow: hidden; }
  .page + .page { break-before: page; }
  .head { flex: none; height: 0.3in; font: 7.5pt 'Liberation Sans'; color: #333; }
  .page.recto .head { text-align: right; }
  .body { flex: 1 1 auto; overflow: hidden; min-height: 0; }
  .notes { flex: none; font: 7.5pt/9.5pt 'Liberation Serif'; }
  .notes:not(:empty) { border-top: 0.5pt solid #000; margin-top: 6pt; padding-top: 4pt; width: 100%; }
  .notes .note { margin: 0 0 2pt; text-align: justify; }
  .notes sup { font-size: 5.5pt; line-height: 0; vertical-align: 3pt; }
  .foot { flex: none; height: 0.3in; padding-top: 0.12in; font: 8pt 'Liberation Sans'; text-align: center; }
  .kicker { font: bold 8pt 'Liberation Sans'; letter-spacing: 0.06em; color: #555; margin: 0 0 8pt; }
  h1 { font: bold 16pt/19pt 'Liberation Sans'; margin: 0 0 8pt; }
  .label { font: italic 9pt 'Liberation Sans'; margin: 0 0 2pt; }
  .author { font: bold 10.5pt 'Liberation Sans'; margin: 0 0 14pt; }
  h2 { font: bold 11.5pt 'Liberation Sans'; margin: 12pt 0 5pt; }
  p { margin: 0; text-align: justify; }
  p.para { text-indent: 1.5em; }
  p.item { padding-left: 1.2em; margin: 0 0 4pt; }
  p.item .bullet { display: inline-block; width: 1.2em; margin-left: -1.2em; }
  p.split { text-align-last: justify; }
  sup[data-ref] { font-size: 6.5pt; line-height: 0; vertical-align: 3.5pt; }
</style></head>
<body>
<script>
const blocks = ${JSON.stringify(blocks)};
const notes = ${JSON.stringify(noteHtml)};
let pageCount = 0;
function newPage() {
  pageCount += 1;
  const page = document.createElement('div');
  page.className = 'page ' + (pageCount % 2 === 0 ? 'verso' : 'recto');
  page.innerHTML = '<div class="head">' + (pageCount === 1 ? '' : pageCount % 2 === 0 ? ${JSON.stringify(headerVerso)} : ${JSON.stringify(headerRecto)}) +
    '</div><div class="body"></div><div class="notes"></div><div class="foot">' + (16 + pageCount) + '</div>';
  document.body.appendChild(page);
  return { body: page.querySelector('.body'), notes: page.querySelector('.notes') };
}
function overflows(page) { return page.body.scrollHeight > page.body.clientHeight + 0.5; }
/** Puts the notes cited in element on the page (once); returns those added, to take back. */
function addNotes(page, element) {
  const added = [];
  for (const ref of element.querySelectorAll('sup[data-ref]')) {
    const n = ref.dataset.ref;
    if (page.notes.querySelector('[data-note="' + n + '"]')) continue;
    page.notes.insertAdjacentHTML('beforeend', notes[n - 1]);
    added.push(page.notes.lastElementChild);
  }
  return added;
}
function paragraph(block, words, { continued, split }) {
  const p = document.createElement('p');
  p.className = (continued ? (block.kind === 'item' ? 'item' : 'cont') : block.kind) + (split ? ' split' : '');
  p.innerHTML = (block.kind === 'item' && !continued ? '<span class="bullet">•</span>' : '') + words.join(' ');
  return p;
}
/** Whether the first k words of the block fit on the page, with their notes. */
function fits(page, block, words, k, continued) {
  const p = paragraph(block, words.slice(0, k), { continued, split: k < words.length });
  page.body.appendChild(p);
  const added = addNotes(page, p);
  const ok = !overflows(page);
  p.remove();
  added.forEach((note) => note.remove());
  return ok;
}
let page = newPage();
page.body.insertAdjacentHTML('beforeend', '<div class="kicker">${escape(kicker)}</div><h1>${escape(title)}</h1><div class="label">${escape(label)}</div><div class="author">${escape(author)}</div>');
for (const block of blocks) {
  if (block.kind === 'h2') {
    page.body.insertAdjacentHTML('beforeend', '<h2>' + block.html + '</h2>');
    if (overflows(page)) { page.body.lastElementChild.remove(); page = newPage(); page.body.insertAdjacentHTML('beforeend', '<h2>' + block.html + '</h2>'); }
    continue;
  }
  let words = block.words;
  let continued = false;
  for (;;) {
    if (fits(page, block, words, words.length, continued)) {
      const p = paragraph(block, words, { continued, split: false });
      page.body.appendChild(p);
      addNotes(page, p);
      break;
    }
    let lo = 0, hi = words.length;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (fits(page, block, words, mid, continued)) lo = mid; else hi = mid - 1; }
    if (lo >= 8) {
      const p = paragraph(block, words.slice(0, lo), { continued, split: true });
      page.body.appendChild(p);
      addNotes(page, p);
      words = words.slice(lo);
      continued = true;
    }
    page = newPage();
  }
}
</script>
</body></html>`;
}

// ------------------------------------------------------------------ hyphens, ligature

function hyphensPage() {
  // 11pt DejaVu Sans Mono in a 24ch column: every line holds at most 24 characters, so the breaks are known:
  // "Reports had it the Tali‐" / "ban took Kabul, a well-" / "known plan and a long-" / "term view."
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<style>
  @page { size: 3.2in 4in; margin: 0.4in; }
  body { margin: 0; font: 11pt/1.3 'DejaVu Sans Mono'; }
  p { width: 24ch; margin: 0 0 1em; }
</style></head>
<body>
<p>Reports had it the Tali&shy;ban took Kabul, a well-known plan and a long-term view.</p>
<p>The ﬁnal report was short.</p>
</body></html>`;
}

// ------------------------------------------------------------------ a scan

/** A PNG (8-bit greyscale) of dark bars like lines of print on white. */
function scanPng(width, height) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(width + 1);
    const inLine = y % 24 >= 8 && y % 24 < 18 && y > 30 && y < height - 30;
    for (let x = 0; x < width; x++) {
      const ink = inLine && x > 30 && x < width - 30 - ((y * 7) % 90) && (x * 13 + y) % 37 > 6;
      row[x + 1] = ink ? 30 : 250;
    }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buffer) => {
    let c = 0xffffffff;
    for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function imagePage() {
  const png = scanPng(420, 560).toString('base64');
  return `<!doctype html><html><head><meta charset="utf-8"><style>@page { size: 4.5in 6in; margin: 0.3in; } body { margin: 0; }</style></head>
<body><img src="data:image/png;base64,${png}" style="width: 3.9in"></body></html>`;
}

// ------------------------------------------------------------------ qpdf JSON

/**
 * A PDF's objects as `qpdf --json-output` gives them (JSON v2): `obj:N 0 R` and the trailer.
 * @typedef {{ trailer: { value: Record<string, string | number> } } & Record<string, { value: Record<string, unknown> }>} QpdfObjects
 */

/** @returns {QpdfObjects} */
function qpdfObjects(pdf) {
  /** @type {{ qpdf: [unknown, QpdfObjects] }} */
  const json = JSON.parse(execFileSync('qpdf', ['--json-output', '--json-key=qpdf', pdf], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  return json.qpdf[1];
}

/** Gives every page of pdf the label first, first + 1, … (a /PageLabels number tree on the catalog). */
function labelPages(pdf, first, target) {
  const objects = qpdfObjects(pdf);
  const rootRef = objects.trailer.value['/Root'];
  const catalog = objects[`obj:${rootRef}`].value;
  catalog['/PageLabels'] = { '/Nums': [0, { '/S': '/D', '/St': first }] };
  const patch = join(work, 'labels.json');
  writeFileSync(patch, JSON.stringify({ qpdf: [{ jsonversion: 2 }, { [`obj:${rootRef}`]: { value: catalog } }] }));
  execFileSync('qpdf', [pdf, `--update-from-json=${patch}`, target]);
}

// ------------------------------------------------------------------ metadata

/** Rewrites pdf's info dictionary to `info` (strings) and, given `xmp`, adds it as the catalog's XMP packet. */
function setMetadata(pdf, target, { info, xmp }) {
  const objects = qpdfObjects(pdf);
  const trailer = objects.trailer.value;
  const patch = {};
  patch[`obj:${trailer['/Info']}`] = { value: Object.fromEntries(Object.entries(info).map(([key, value]) => [`/${key}`, `u:${value}`])) };
  if (xmp) {
    const number = trailer['/Size'];
    const catalog = objects[`obj:${trailer['/Root']}`].value;
    catalog['/Metadata'] = `${number} 0 R`;
    patch[`obj:${trailer['/Root']}`] = { value: catalog };
    patch[`obj:${number} 0 R`] = { stream: { dict: { '/Type': '/Metadata', '/Subtype': '/XML' }, data: Buffer.from(xmp).toString('base64') } };
  }
  const file = join(work, 'metadata.json');
  writeFileSync(file, JSON.stringify({ qpdf: [{ jsonversion: 2 }, patch] }));
  execFileSync('qpdf', [pdf, `--update-from-json=${file}`, target]);
}

const XMP = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Hyphens at Line Ends</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>Ann Example</rdf:li><rdf:li>Bo Example</rdf:li></rdf:Seq></dc:creator>
   <dc:date><rdf:Seq><rdf:li>2021-08-16</rdf:li></rdf:Seq></dc:date>
   <xmp:CreateDate>2021-09-01T10:00:00Z</xmp:CreateDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

// ------------------------------------------------------------------ make and check

try {
  const news = chromium(newsPage(), 'news');
  copyFileSync(news, join(out, 'korybko2021-news.pdf'));
  const newsText = pdftotext(news, '-layout');
  check(/\u2010\n/u.test(newsText), 'korybko2021-news.pdf has a soft-hyphen break at a line end');
  check(/Page 1 of \d/.test(newsText), 'korybko2021-news.pdf prints page numbers');

  const journal = chromium(journalPage(), 'journal');
  labelPages(journal, 17, join(out, 'zochowski2021-journal.pdf'));
  const journalText = pdftotext(journal, '-layout');
  check(/A footnote of the test layout/.test(journalText), 'zochowski2021-journal.pdf prints its footnotes');

  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(work, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', work, join(root, 'corpus', 'suchkov2021.txt')], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  copyFileSync(join(work, 'suchkov2021.pdf'), join(out, 'suchkov2021-libreoffice.pdf'));
  const office = pdftotext(join(work, 'suchkov2021.pdf'), '-layout');
  check(/non- *\n *resistance/u.test(office) && /MGIMO- *\n *University/u.test(office), 'suchkov2021-libreoffice.pdf breaks real hyphens at line ends');

  const hyphens = chromium(hyphensPage(), 'hyphens');
  copyFileSync(hyphens, join(out, 'hyphens.pdf'));
  // -layout keeps the lines as printed (plain pdftotext joins hyphenated words itself).
  const hyphensText = pdftotext(hyphens, '-layout');
  check(/Tali\u00AD?\u2010 *\n *ban/u.test(hyphensText), `hyphens.pdf breaks Tali‐ban at a line end:\n${hyphensText}`);
  check(/well- *\n *known/u.test(hyphensText), `hyphens.pdf breaks well-known at a line end:\n${hyphensText}`);
  check(/long- *\n *term/u.test(hyphensText), `hyphens.pdf breaks long-term at a line end:\n${hyphensText}`);

  const image = chromium(imagePage(), 'image-only');
  copyFileSync(image, join(out, 'image-only.pdf'));
  check(pdftotext(image).trim() === '', 'image-only.pdf has no text');

  // What office software leaves in the info dictionary: a file name for a title, authors joined by a semicolon.
  setMetadata(hyphens, join(out, 'info-word.pdf'), {
    info: { Title: 'Microsoft Word - report.docx', Author: 'Jane Doe; John Roe', Producer: 'Microsoft® Word for Microsoft 365', CreationDate: 'D:20210816120000Z' },
  });
  // An XMP packet, which says more than the info dictionary and wins over it.
  setMetadata(hyphens, join(out, 'xmp.pdf'), {
    info: { Title: 'untitled', Author: 'Administrator', Producer: 'LibreOffice 7.4', CreationDate: 'D:20210901100000Z' },
    xmp: XMP,
  });

  execFileSync('qpdf', ['--rotate=+90', hyphens, join(out, 'rotated.pdf')]);
  execFileSync('qpdf', ['--encrypt', 'reader-password', 'owner-password', '256', '--', hyphens, join(out, 'encrypted.pdf')]);
  execFileSync('qpdf', ['--encrypt', '', 'owner-password', '256', '--print=none', '--extract=n', '--', hyphens, join(out, 'owner-locked.pdf')]);
  console.log(`PDF fixtures written to ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
