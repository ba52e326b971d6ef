import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { extractDocx } from '../../../../server/src/engine/corpus/extract/docx.js';
import { ExtractionError, type ExtractedText } from '../../../../server/src/engine/corpus/extract/extracted.js';
import { plainTextParagraphs } from '../../../../server/src/engine/corpus/paragraphs.js';
import { buildCorpus } from '../../../../server/src/engine/corpus/corpus.js';
import { check, corpusDir, fixturesDir } from '../../../helpers.js';

const sources = join(fixturesDir, 'sources');

function paragraphsOf(extracted: ExtractedText): string[] {
  return plainTextParagraphs(extracted.text).map((p) => p.text);
}

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(sources, name)));
}

/** A minimal .docx built here, part by part, with `document` as the body's paragraphs. */
async function docx(parts: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(parts)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array' });
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;
const body = (paragraphs: readonly string[]): string => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('')}</w:body></w:document>`;

describe('Word files', () => {
  test('korybko2021 as a LibreOffice .docx: every seed paragraph is one paragraph, in order, byte for byte', async () => {
    const extracted = await extractDocx(fixture('korybko2021.docx'));
    const seed = plainTextParagraphs(readFileSync(join(corpusDir, 'korybko2021.txt'), 'utf8')).map((p) => p.text);
    // The .docx holds the article (scripts/make-source-fixtures.ts), not the "Similar Posts" line the seed's copy kept from its page.
    assert.deepEqual(paragraphsOf(extracted), seed.slice(0, seed.indexOf('Similar Posts')));
    assert.deepEqual(extracted.metadata, {
      title: 'Interpreting Russia’s Reaction to the Taliban’s Rapid Takeover of Afghanistan',
      authors: ['Andrew Korybko'],
      date: '2021-08-14',
    });
    const corpus = buildCorpus([{ path: 'korybko2021.docx', text: extracted.text }], []);
    assert.deepEqual(check('"We will get around Kabul like an anaconda." [@korybko2021, ¶ 6]\n\n"Interpreting Russia’s Reaction" [@korybko2021, ¶ 1]\n', corpus), []);
  });

  test('headings, emphasis, line breaks, nested and numbered lists, a table, a footnote and several authors', async () => {
    const extracted = await extractDocx(fixture('word-features.docx'));
    assert.deepEqual(paragraphsOf(extracted), [
      'Field notes on quotation',
      'Every quotation is a promise to the reader: these are the words, as the source has them.',
      'What the checker reads',
      'A soft line break stays inside its paragraph.',
      'Two breaks in a row',
      'start a new one.',
      'First point, on its own.',
      'Second point, with detail:',
      'a nested point beneath it.',
      'Number one.',
      'Number two.',
      'Left cell text.',
      'Right cell text.',
      // The note's reference mark is not a word of the sentence; the note itself follows the body.
      'A sentence with a note in the middle of it.',
      'The last paragraph of the body.',
      "The note's own text, after the body.",
    ]);
    assert.deepEqual(extracted.metadata, { title: 'Field notes on quotation', authors: ['Ann Archer', 'Bo Brennan'], date: '2023-03-09' });
  });

  test('a minimal .docx made part by part: text as written, no core properties, no metadata', async () => {
    const bytes = await docx({ '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': RELS, 'word/document.xml': body(['Caf\u00e9 o\uFB03ce &amp; co.', '   ', 'Second  paragraph.']) });
    const extracted = await extractDocx(bytes);
    assert.deepEqual(paragraphsOf(extracted), ['Caf\u00e9 o\uFB03ce & co.', 'Second paragraph.']);
    assert.deepEqual(extracted.metadata, {});
  });

  test('an empty document gives an empty text', async () => {
    const bytes = await docx({ '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': RELS, 'word/document.xml': body([]) });
    assert.equal((await extractDocx(bytes)).text, '');
  });

  test('core properties whatever their prefixes; unreadable properties do not cost the text', async () => {
    const core = `<?xml version="1.0"?><a:coreProperties xmlns:a="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:b="http://purl.org/dc/elements/1.1/" xmlns:c="http://purl.org/dc/terms/"><b:title>Titled</b:title><b:creator> One Writer </b:creator><c:created>2020-01-31T23:59:00Z</c:created></a:coreProperties>`;
    const parts = { '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': RELS, 'word/document.xml': body(['Text.']) };
    assert.deepEqual((await extractDocx(await docx({ ...parts, 'docProps/core.xml': core }))).metadata, { title: 'Titled', authors: ['One Writer'], date: '2020-01-31' });
    const broken = await extractDocx(await docx({ ...parts, 'docProps/core.xml': '<not xml' }));
    assert.equal(broken.text, 'Text.');
  });
});

describe('a file that is not a readable .docx is an ExtractionError that says why', () => {
  const rejects = async (bytes: Uint8Array, message: RegExp): Promise<void> => {
    await assert.rejects(extractDocx(bytes), (error: unknown) => {
      assert.ok(error instanceof ExtractionError, String(error));
      assert.match(error.message, message);
      return true;
    });
  };

  test('random bytes', () => rejects(new TextEncoder().encode('This is a text file renamed to .docx.'), /^Not a readable \.docx file: it is not a valid zip archive \(Can't find end of central directory : is this a zip file \?\)$/));

  test('a truncated .docx', async () => {
    const whole = fixture('korybko2021.docx');
    await rejects(whole.slice(0, Math.floor(whole.length / 2)), /^Not a readable \.docx file: it is not a valid zip archive/);
  });

  test('a zip with no Word document in it', async () => {
    await rejects(await docx({ 'notes.txt': 'just a zip' }), /^Not a readable \.docx file: .*main document part/i);
  });

  test('a damaged document part', async () => {
    await rejects(await docx({ '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': RELS, 'word/document.xml': '<w:document><w:body><w:p>' }), /^Not a readable \.docx file: its XML is damaged/);
  });

  test('a Word 97–2003 .doc, or a password-protected .docx (both OLE compound files)', async () => {
    const ole = new Uint8Array(512);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await rejects(ole, /Word 97–2003 document \(\.doc\) or a password-protected \.docx/);
  });
});
