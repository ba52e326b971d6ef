import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderExtractionCache, userCacheFolder } from '../../../../server/src/engine/corpus/extract/cache.js';
import { extractDocument, extractionKey } from '../../../../server/src/engine/corpus/extract/index.js';
import { root } from '../../../helpers.js';

const page = readFileSync(join(root, 'test', 'fixtures', 'sources', 'gul2021.html'));

describe('the extraction cache', () => {
  test('a document is extracted once; the cached text is what a second read returns', async () => {
    const cache = new FolderExtractionCache(mkdtempSync(join(tmpdir(), 'verbatim-cache-')));
    const first = await extractDocument('html', page, cache);
    assert.match(first.text, /^Why Does Russia See No Problem with Taliban Victories\?\n/u);
    assert.deepEqual(readdirSync(cache.folder), [`${extractionKey('html', page)}.json`]);
    // What the cache holds is what is used: a second read does not extract again.
    writeFileSync(join(cache.folder, `${extractionKey('html', page)}.json`), JSON.stringify({ text: 'From the cache.\n' }));
    assert.equal((await extractDocument('html', page, cache)).text, 'From the cache.\n');
  });

  test('a truncated or malformed cache file is not trusted: the document is extracted again', async () => {
    const cache = new FolderExtractionCache(mkdtempSync(join(tmpdir(), 'verbatim-cache-')));
    const file = join(cache.folder, `${extractionKey('html', page)}.json`);
    const fresh = await extractDocument('html', page);
    for (const broken of ['{"text": "Why Does', '{"pages": []}', '{"text": "x", "pages": [{"label": 1}]}', 'null']) {
      writeFileSync(file, broken);
      assert.deepEqual(await extractDocument('html', page, cache), fresh, broken);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(fresh)), 'rewritten whole');
    }
  });

  test('the key follows the bytes and the format, not the file name', () => {
    assert.equal(extractionKey('html', page), extractionKey('html', Buffer.from(page)));
    assert.notEqual(extractionKey('html', page), extractionKey('html', Buffer.concat([page, Buffer.from(' ')])));
    assert.notEqual(extractionKey('html', page), extractionKey('docx', page));
  });

  test('the command line caches under $XDG_CACHE_HOME/verbatim, else ~/.cache/verbatim', () => {
    assert.equal(userCacheFolder({ XDG_CACHE_HOME: '/var/cache/ann' }), '/var/cache/ann/verbatim');
    assert.match(userCacheFolder({}), /\/\.cache\/verbatim$/u);
  });
});
