import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCorpus, type SourceFile } from '../../../server/src/engine/corpus/corpus.js';
import { affects, corpusChange, CorpusReads, ReadRecorder } from '../../../server/src/engine/corpus/reads.js';
import { judgeQuotation } from '../../../server/src/engine/match/judge.js';

const files: SourceFile[] = [
  { path: '/c/alpha.txt', text: 'The ministry said the talks in Doha would go on.\n\nA second paragraph about grain exports.\n' },
  { path: '/c/beta.txt', text: 'Observers in Tashkent doubted the promises.\n' },
  { path: '/c/gamma.txt', text: 'Nothing here is quoted by anyone.\n' },
];
const bibliography = { path: '/c/references.json', text: JSON.stringify([{ id: 'alpha', type: 'article', title: 'Talks' }]) };

function corpusOf(sources: readonly SourceFile[], bibliographies = [bibliography]) {
  return buildCorpus(sources, bibliographies);
}

function edited(path: string, text: string): SourceFile[] {
  return files.map((f) => (f.path === path ? { path, text } : f));
}

describe('what a check reads of the corpus', () => {
  test('the recording view says what the corpus says of itself: partial, excluded keys, origin', () => {
    const inner = { ...corpusOf(files), partial: true, excluded: new Set(['delta']) };
    const view = new ReadRecorder(inner).corpus;
    assert.equal(view.partial, true, 'an archive corpus listing only some sources stays partial, so unknown keys are still reported');
    assert.equal(view.excluded?.has('delta'), true);
    assert.equal(view.origin, inner.origin);
    assert.equal(view.problems, inner.problems);
  });

  test('a quotation found in its cited source reads that key only', () => {
    const recorder = new ReadRecorder(corpusOf(files));
    const { value, reads } = recorder.recorded(() => judgeQuotation(recorder.corpus, 'the talks in Doha would go on', ['alpha']));
    assert.equal(value.verdict, 'verbatim');
    assert.deepEqual([...reads.keys], ['alpha']);
    assert.equal(reads.all, false);
    assert.deepEqual(reads.patterns, []);
  });

  test('a search of the whole corpus for exact words reads the pattern, not the whole corpus', () => {
    const recorder = new ReadRecorder(corpusOf(files));
    const { value, reads } = recorder.recorded(() => judgeQuotation(recorder.corpus, 'Observers in Tashkent doubted the promises', ['alpha']));
    assert.equal(value.verdict, 'other-source');
    assert.equal(reads.all, false);
    assert.ok(reads.patterns.some((p) => p.includes('tashkent') && p.includes('observers')));
  });

  test('a near search reads the whole corpus (its weights count every word)', () => {
    const recorder = new ReadRecorder(corpusOf(files));
    const { value, reads } = recorder.recorded(() => judgeQuotation(recorder.corpus, 'the talks in Qatar would go on', ['alpha']));
    assert.equal(value.verdict, 'changed');
    assert.equal(reads.all, true);
  });

  test('the number of sources is the key set; iterating them is the whole corpus', () => {
    const recorder = new ReadRecorder(corpusOf(files));
    const counted = recorder.recorded(() => recorder.corpus.sources.length).reads;
    assert.equal(counted.keySet, true);
    assert.equal(counted.all, false);
    assert.equal(recorder.recorded(() => recorder.corpus.sources.map((s) => s.key)).reads.all, true);
    const keys = recorder.recorded(() => [...recorder.corpus.byKey.keys()]).reads;
    assert.equal(keys.keySet && !keys.all, true);
    assert.equal(recorder.recorded(() => [...recorder.corpus.byKey.values()]).reads.all, true);
    assert.equal(recorder.recorded(() => recorder.corpus.pending.has('delta')).reads.keys.has('delta'), true);
  });

  test('reads replayed from a cached result count for the unit reading them', () => {
    const recorder = new ReadRecorder(corpusOf(files));
    const cached = new CorpusReads();
    cached.keys.add('beta');
    const { reads } = recorder.recorded(() => recorder.replay(cached));
    assert.deepEqual([...reads.keys], ['beta']);
  });
});

describe('how a corpus changed, and what that affects', () => {
  const before = corpusOf(files);

  test('an edited source is its key, with the words of its old and new text', () => {
    const change = corpusChange(before, corpusOf(edited('/c/gamma.txt', 'Observers in Tashkent were quoted after all.\n')));
    assert.deepEqual([...change.keys], ['gamma']);
    assert.equal(change.keySet, false);
    const reads = new CorpusReads();
    reads.patterns.push(['observers', 'tashkent']);
    assert.equal(affects(change, reads), true, 'the new text holds every word of the pattern');
    const other = new CorpusReads();
    other.patterns.push(['observers', 'samarkand']);
    assert.equal(affects(change, other), false, 'neither text holds "samarkand"');
  });

  test('an unchanged corpus affects nothing, not even what read the whole of it', () => {
    const change = corpusChange(before, corpusOf(files));
    assert.equal(change.keys.size, 0);
    const reads = new CorpusReads();
    reads.all = true;
    assert.equal(affects(change, reads), false);
  });

  test('a source added or removed changes the key set; a key read elsewhere is untouched', () => {
    const added = corpusChange(before, corpusOf([...files, { path: '/c/delta.txt', text: 'New words.\n' }]));
    assert.deepEqual([...added.keys], ['delta']);
    assert.equal(added.keySet, true);
    const unknown = new CorpusReads();
    unknown.keys.add('delta');
    assert.equal(affects(added, unknown), true, 'a citation of the new key');
    const suggestions = new CorpusReads();
    suggestions.keySet = true;
    assert.equal(affects(added, suggestions), true, 'suggestions from the key set');
    const cited = new CorpusReads();
    cited.keys.add('alpha');
    assert.equal(affects(added, cited), false);
    const removed = corpusChange(before, corpusOf(files.slice(0, 2)));
    assert.deepEqual([...removed.keys], ['gamma']);
    assert.equal(removed.keySet, true);
  });

  test('a bibliography entry changed is a change of its source', () => {
    const retitled = { path: bibliography.path, text: JSON.stringify([{ id: 'alpha', type: 'article', title: 'Other talks' }]) };
    const change = corpusChange(before, corpusOf(files, [retitled]));
    assert.deepEqual([...change.keys], ['alpha']);
  });

  test('sources built with an index to store are compared by content hash', () => {
    const stored = buildCorpus(files, [bibliography], [], new Set(), { stored: null });
    assert.ok(stored.sources.every((s) => typeof s.hash === 'string'));
    const again = buildCorpus(edited('/c/beta.txt', 'Observers in Tashkent doubted everything.\n'), [bibliography], [], new Set(), { stored: null });
    assert.deepEqual([...corpusChange(stored, again).keys], ['beta']);
  });
});
