import { loadTextCorpus } from '../server/src/engine/corpus/load.js';
import { judgeQuotation } from '../server/src/engine/match/judge.js';
import { drawQuotations } from './workload.js';
const corpus = loadTextCorpus(process.argv[2]);
const qs = drawQuotations(corpus).filter((q) => q.kind === process.argv[3]);
const times: [number, string, string][] = [];
for (const q of qs) { const t = performance.now(); const j = judgeQuotation(corpus, q.text, [q.key]); times.push([performance.now() - t, j.verdict, q.text.slice(0, 60)]); }
times.sort((a, b) => b[0] - a[0]);
console.log(times.slice(0, 8).map((t) => `${t[0].toFixed(1)}ms ${t[1]} ${t[2]}`).join('\n'));
