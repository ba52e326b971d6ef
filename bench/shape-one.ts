import { NoteChecker } from '../server/src/engine/check.js';
import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import { ClaimTagger } from '../server/src/engine/claims/detect.js';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
void (async () => {
  const tagger = await ClaimTagger.load();
  const corpus = loadTextCorpus('corpus');
  const paragraph = 'Moscow "kept [its] embassy [[[ open" [@korybko2021 @@ "“‘ [@gul2021, ¶ 3] é👍🏽\u0000 ';
  const shapes: Record<string, string> = { giant: paragraph.repeat(12_000), brackets: `${'[ '.repeat(500_000)}]`, blockquotes: `${'> '.repeat(50)}deep\n`.repeat(20_000), ats: '@x '.repeat(400_000) };
  const text = shapes[process.argv[2]];
  let t = performance.now();
  unified().use(remarkParse).parse(text);
  console.log('parse', (performance.now() - t).toFixed(0));
  t = performance.now();
  new NoteChecker(corpus, { claims: { tagger } }).check(text);
  console.log('check', (performance.now() - t).toFixed(0));
})();
