import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaimTagger } from '../../../server/src/engine/claims/detect.js';
import { bundledAsShipped, corpusDir, root } from '../../helpers.js';

/** What the tagger is made of and what it makes of real prose; the same module runs bundled and under tsx. */
const probe = (detect: string): string => `import { readFileSync } from 'node:fs';
import { ClaimTagger } from ${JSON.stringify(detect)};

export async function probe(texts: string[], sentences: string[]) {
  const tagger = await ClaimTagger.load();
  const nlp = tagger.parser;
  const { model } = nlp.world() as { model: { one: Record<string, unknown>; two: Record<string, unknown> } };
  // Regular expressions are kept as their source; functions, which JSON drops, are code, not data.
  const data = JSON.stringify({ one: model.one, two: model.two }, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
  return {
    model: data,
    lexiconOrder: Object.keys(model.one.lexicon as object),
    // A term's id is made afresh at every parse.
    parses: texts.map((text) => JSON.stringify(nlp(text).json(), (key, value: unknown) => (key === 'id' ? undefined : value))),
    assessments: sentences.map((sentence) => tagger.assess(sentence)),
  };
}

if (process.argv[2]) {
  const input = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { texts: string[]; sentences: string[] };
  void probe(input.texts, input.sentences).then((result) => process.stdout.write(JSON.stringify(result)));
}
`;

describe('compromise bundled with its lexicon expanded at build time', () => {
  test('the bundle’s lexicon and model are the library’s own, and it tags the corpus and assesses the labelled sentences alike', async () => {
    const built = await bundledAsShipped(probe(join(root, 'server/src/engine/claims/detect.ts')));
    const dir = built.dir;
    const bundle = readFileSync(built.bundle, 'utf8');
    // Whole-bundle assertions by hand: a failed match would print 3 MB of code.
    assert.ok(/Object\.assign\(model\d*\.one\.lexicon, expanded\.lexicon\)/u.test(bundle), 'the expanded lexicon is not in the bundle');
    assert.ok(!/model\d* = expandLexicon\d*\(model\d*\)/u.test(bundle), 'the bundle still expands the lexicon as it loads');

    const texts = readdirSync(corpusDir)
      .filter((name) => name.endsWith('.txt'))
      .map((name) => readFileSync(join(corpusDir, name), 'utf8'));
    texts.push(readFileSync(join(root, 'examples', 'russia-and-the-taliban.md'), 'utf8'));
    const sentences = (JSON.parse(readFileSync(join(root, 'test', 'claims', 'labelled.json'), 'utf8')) as { text: string }[]).map((item) => item.text);
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ texts, sentences }));
    const run = spawnSync(process.execPath, [join(dir, 'bundle.js'), input], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(run.status, 0, run.stderr);
    const bundled = JSON.parse(run.stdout) as Awaited<ReturnType<typeof inProcess>>;

    const inProcess = async (): Promise<{ model: string; lexiconOrder: string[]; parses: unknown[]; assessments: unknown[] }> => {
      const path = join(dir, 'probe-source.ts');
      writeFileSync(path, probe(join(root, 'server/src/engine/claims/detect.ts')));
      const module = (await import(path)) as { probe: (texts: string[], sentences: string[]) => Promise<{ model: string; lexiconOrder: string[]; parses: unknown[]; assessments: unknown[] }> };
      return module.probe(texts, sentences);
    };
    const expected = await inProcess();
    assert.ok(expected.lexiconOrder.length > 20_000, `${expected.lexiconOrder.length} words in the lexicon`);
    assert.deepEqual(bundled.lexiconOrder, expected.lexiconOrder);
    assert.equal(bundled.model, expected.model);
    assert.deepEqual(bundled.parses, expected.parses);
    assert.deepEqual(bundled.assessments, expected.assessments);
    assert.ok(expected.assessments.length === sentences.length && sentences.length > 50);
    // The tagger loads in the process under test as well: the comparison above is not between two empty results.
    assert.ok((await ClaimTagger.load()).assess('The Taliban claimed control of up to 85% of the country in early July.').isClaim);
  });
});
