/**
 * Answer quality on the demo library (issue #3, item 10: top-1 ≥ 90 %, wrong confident answers ≤ 2 %).
 * Loads examples/demo/content (approved items valid today) and a question set, and reports top-1 (the right item
 * answered, or nothing answered when nothing should be), top-3 (the right item answered or offered), and wrong
 * confident answers (an answer with the wrong item, or any answer where none should be).
 *
 * Two sets: `eval` (bench/answers.eval.json) is the one the matcher was tuned on; `holdout`
 * (bench/answers.holdout.json) was written before any tuning and is never tuned on — its figures are the honest
 * check that an improvement generalises. `holdout2` (bench/answers.holdout2.json) was written after the tuning of
 * the everyday-language lexicon and never tuned on either. `--set all` reports all three.
 *
 *   npx tsx bench/answers.eval.ts [--set eval|holdout|holdout2|all] [--verbose]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentItem } from '@parley/contracts';
import { parse } from 'yaml';
import { createAnswerMatcher } from '../apps/server/src/modules/content/answer-matcher.js';
import { fmt } from './lib.js';

interface EvalCase {
  q: string;
  lang: string;
  expect: string | null;
  kind: string;
}

const root = new URL('..', import.meta.url).pathname;
const itemsDir = join(root, 'examples/demo/content/items');
const today = new Date().toISOString().slice(0, 10);
const items = readdirSync(itemsDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(join(itemsDir, f), 'utf8')) as unknown[]).map((raw) => ContentItem.parse(raw)))
  .filter((i) => i.status === 'approved' && (!i.validFrom || i.validFrom <= today) && (!i.validUntil || i.validUntil >= today));
const matcher = createAnswerMatcher(items, { languages: ['de', 'en'] });

const setArg = process.argv[process.argv.indexOf('--set') + 1];
const sets = !process.argv.includes('--set') ? ['eval'] : setArg === 'all' ? ['eval', 'holdout', 'holdout2'] : [setArg ?? 'eval'];
for (const set of sets) {
  if (set !== 'eval' && set !== 'holdout' && set !== 'holdout2') {
    console.error(`unknown set ${set} (eval, holdout, holdout2 or all)`);
    process.exit(2);
  }
  const cases = JSON.parse(readFileSync(join(root, `bench/answers.${set}.json`), 'utf8')) as EvalCase[];
  report(set, cases);
}

function report(set: string, cases: EvalCase[]): void {
  let top1 = 0;
  let top3 = 0;
  let wrongConfident = 0;
  const byKind = new Map<string, { n: number; top1: number }>();
  const misses: string[] = [];
  const times: number[] = [];
  for (const c of cases) {
    const t = performance.now();
    const d = matcher.match(c.q, c.lang);
    times.push(performance.now() - t);
    const answered = d.kind === 'answer' ? d.itemId : undefined;
    const offered = d.kind === 'suggest' || d.kind === 'answer' ? d.candidates.map((x) => x.itemId) : [];
    const ok1 = c.expect === null ? answered === undefined : answered === c.expect;
    const ok3 = c.expect === null ? answered === undefined : answered === c.expect || offered.includes(c.expect);
    top1 += ok1 ? 1 : 0;
    top3 += ok3 ? 1 : 0;
    const wrong = answered !== undefined && answered !== c.expect;
    wrongConfident += wrong ? 1 : 0;
    const k = byKind.get(c.kind) ?? { n: 0, top1: 0 };
    byKind.set(c.kind, { n: k.n + 1, top1: k.top1 + (ok1 ? 1 : 0) });
    if (!ok1) {
      const candidates = d.candidates.map((x) => `${x.itemId}:${x.confidence}`).join(', ');
      misses.push(`  ${wrong ? '!' : ' '} ${c.lang} ${JSON.stringify(c.q)} expected ${c.expect ?? '(none)'} got ${d.kind}${answered ? ` ${answered}` : ''} [${candidates}]`);
    }
  }
  const pct = (n: number) => `${fmt((n / cases.length) * 100)} %`;
  console.log(`answer quality (${set}) — ${items.length} approved items valid today, ${cases.length} questions (${cases.filter((c) => c.expect === null).length} that must not be answered)`);
  console.log(`  top-1 ${pct(top1)}, top-3 ${pct(top3)}, wrong confident answers ${pct(wrongConfident)} (${wrongConfident})`);
  console.log(`  by kind: ${[...byKind.entries()].map(([k, v]) => `${k} ${v.top1}/${v.n}`).join(', ')}`);
  console.log(`  mean ${fmt(times.reduce((a, b) => a + b, 0) / times.length, 3)} ms per question`);
  if (process.argv.includes('--verbose')) {
    console.log(misses.join('\n'));
  }
}
