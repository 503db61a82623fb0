/**
 * Answer matching speed (issue #3: < 1 ms per question at 5,000 items). Builds a synthetic library of
 * `BENCH_ITEMS` items (German and English pseudo-words from a fixed seed, ~20,000 distinct words), then times
 * questions made of library words, with typos and with unknown words.
 *
 *   npx tsx bench/matching.bench.ts
 */
import { createAnswerMatcher, type MatchableItem } from '../apps/server/src/modules/content/answer-matcher.js';
import { fmt, percentile } from './lib.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 5000);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 5000);

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
const syllables = ['ka', 'ne', 'bi', 'lo', 'tra', 'mus', 'sch', 'ter', 'ung', 'en', 'ba', 'dri', 'vol', 'kei', 'ar', 'zen', 'pla', 'ti', 'gor', 'wen', 'ly', 'sto', 'rin', 'mo'];
const vocabulary = Array.from({ length: 20_000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(syllables)).join(''));
const sentence = (n: number) => Array.from({ length: n }, () => pick(vocabulary)).join(' ');

const items: MatchableItem[] = Array.from({ length: ITEMS }, (_, i) => ({
  id: `item-${i}`,
  title: { de: sentence(3), en: sentence(3) },
  body: { de: sentence(30), en: sentence(30) },
  keywords: { de: [sentence(1), sentence(2)], en: [sentence(1)] },
  questions: { de: [sentence(8), sentence(7), sentence(9)], en: [sentence(8), sentence(6)] },
}));

const started = performance.now();
const matcher = createAnswerMatcher(items, { languages: ['de', 'en'] });
const buildMs = performance.now() - started;

const typo = (w: string) => (w.length > 5 ? w.slice(0, 2) + w.slice(3) : w);
const questions = Array.from({ length: QUESTIONS }, (_, i) => {
  const item = items[Math.floor(random() * items.length)]!;
  const source = (item.questions?.de ?? [])[0]!.split(' ');
  switch (i % 3) {
    case 0:
      return source.slice(0, 5).join(' ');
    case 1:
      return source.slice(0, 5).map(typo).join(' ');
    default:
      return `${sentence(2)} wie ${sentence(3)}`;
  }
});

for (const q of questions.slice(0, 200)) {
  matcher.match(q, 'de'); // warm-up
}
const times: number[] = [];
for (const q of questions) {
  const t = performance.now();
  matcher.match(q, 'de');
  times.push(performance.now() - t);
}
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(`answer matching — ${ITEMS} items (de + en), ${QUESTIONS} questions (exact words, typos, unknown words)`);
console.log(`  build ${fmt(buildMs, 0)} ms; per question: mean ${fmt(mean, 3)} ms, p50 ${fmt(percentile(times, 50), 3)} ms, p99 ${fmt(percentile(times, 99), 3)} ms`);
console.log(`  heap used ${Math.round(process.memoryUsage().heapUsed / 1024 / 1024)} MB`);
