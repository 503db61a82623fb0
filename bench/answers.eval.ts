/**
 * Answer quality on the demo library (issue #3, item 10: top-1 ≥ 90 %, wrong confident answers ≤ 2 %).
 * Loads examples/demo/content (approved items valid today) and bench/answers.eval.json, and reports top-1
 * (the right item answered, or nothing answered when nothing should be), top-3 (the right item answered or
 * offered), and wrong confident answers (an answer with the wrong item, or any answer where none should be).
 *
 *   npx tsx bench/answers.eval.ts [--verbose]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentItem } from '@parley/contracts';
import { parse } from 'yaml';
import { createAnswerMatcher } from '../apps/server/src/modules/content/answer-matcher.js';
import { fmt } from './lib.js';

const root = new URL('..', import.meta.url).pathname;
const itemsDir = join(root, 'examples/demo/content/items');
const today = new Date().toISOString().slice(0, 10);
const items = readdirSync(itemsDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(join(itemsDir, f), 'utf8')) as unknown[]).map((raw) => ContentItem.parse(raw)))
  .filter((i) => i.status === 'approved' && (!i.validFrom || i.validFrom <= today) && (!i.validUntil || i.validUntil >= today));
const evalSet = JSON.parse(readFileSync(join(root, 'bench/answers.eval.json'), 'utf8')) as Array<{ q: string; lang: string; expect: string | null; kind: string }>;
const matcher = createAnswerMatcher(items, { languages: ['de', 'en'] });

let top1 = 0;
let top3 = 0;
let wrongConfident = 0;
const byKind = new Map<string, { n: number; top1: number }>();
const misses: string[] = [];
const times: number[] = [];
for (const c of evalSet) {
  const t = performance.now();
  const d = matcher.match(c.q, c.lang);
  times.push(performance.now() - t);
  const answered = d.kind === 'answer' ? d.itemId : undefined;
  const offered = d.kind === 'suggest' || d.kind === 'answer' ? d.candidates.map((x) => x.itemId) : [];
  const ok1 = c.expect === null ? answered === undefined : answered === c.expect;
  const ok3 = c.expect === null ? answered === undefined : answered === c.expect || offered.includes(c.expect);
  top1 += ok1 ? 1 : 0;
  top3 += ok3 ? 1 : 0;
  if (answered !== undefined && answered !== c.expect) {
    wrongConfident++;
  }
  const k = byKind.get(c.kind) ?? { n: 0, top1: 0 };
  byKind.set(c.kind, { n: k.n + 1, top1: k.top1 + (ok1 ? 1 : 0) });
  if (!ok1) {
    misses.push(`  ${c.lang} ${JSON.stringify(c.q)} expected ${c.expect ?? '(none)'} got ${d.kind}${answered ? ` ${answered}` : ''} [${d.candidates.map((x) => `${x.itemId}:${x.confidence}`).join(', ')}]`);
  }
}
const pct = (n: number) => `${fmt((n / evalSet.length) * 100)} %`;
console.log(`answer quality — ${items.length} approved items valid today, ${evalSet.length} questions (${evalSet.filter((c) => c.expect === null).length} that must not be answered)`);
console.log(`  top-1 ${pct(top1)}, top-3 ${pct(top3)}, wrong confident answers ${pct(wrongConfident)} (${wrongConfident})`);
console.log(`  by kind: ${[...byKind.entries()].map(([k, v]) => `${k} ${v.top1}/${v.n}`).join(', ')}`);
console.log(`  mean ${fmt(times.reduce((a, b) => a + b, 0) / times.length, 3)} ms per question`);
if (process.argv.includes('--verbose')) {
  console.log(misses.join('\n'));
}
