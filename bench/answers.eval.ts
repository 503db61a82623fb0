/**
 * Answer quality on the demo library (issue #3, item 10: top-1 ≥ 90 %, wrong confident answers ≤ 2 %).
 * Loads examples/demo/content (the items the bot may show a patient today) and a question set, and reports:
 * - top-1: the first thing the person gets is the right item — answered at once, or first of the "Meinten Sie …?"
 *   offer (one tap) — and for a question that must not be answered, no answer;
 * - answered at once: the right item answered without asking back (and no answer where none should be), the
 *   stricter figure earlier sessions reported as "top-1";
 * - top-3: the right item answered or anywhere in the offer (and no answer where none should be);
 * - wrong confident answers: an answer with the wrong item, or any answer where none should be;
 * - menus for questions that must not be answered: how often one got "Meinten Sie …?" (with the offer of a person
 *   as its last row) rather than the offer of a person alone — top-1 does not count it, so it is shown beside it.
 * top-1 and top-3 are one ranking measure at k = 1 and k = 3 over what the person is shown; the issue's menu of
 * "the top 3" below the threshold is what top-3 counts, so top-1 counts the same offer's first row.
 *
 * Four sets. `eval` (bench/answers.eval.json) is the one the matcher was tuned on. `holdout`
 * (bench/answers.holdout.json) was written before any tuning, `holdout2` (bench/answers.holdout2.json) after the
 * tuning of the everyday-language lexicon; neither was tuned on question by question, but both were run for their
 * totals during later tuning rounds, so they are no longer untouched. `holdout3` (bench/answers.holdout3.json, 134
 * questions, 19 of them out of scope) was written from the items' subject matter before the confidence-tuning round,
 * without looking at any set's misses; its totals were read at four milestones of that round (one of them prompted
 * removing generic synonyms), its questions never. It is the best check of generalisation there is; the next round
 * needs a fresh set written before it starts. `holdout4` (bench/answers.holdout4.json, 172 questions, 29 out of
 * scope) is that set: written from the items' titles and bodies only, before the content team's round of example
 * questions, by someone who saw no other set; it is sealed — run it for its figures, never tune on it. `holdout5`
 * (bench/answers.holdout5.json, 191 questions, 32 out of scope) was written the same way after the content round,
 * for the next matcher round, and is sealed too. `holdout6` (bench/answers.holdout6.json, 205 questions, 31 out of
 * scope) was written the same way before the second content round, by someone who read only the items' titles and
 * bodies (not their keywords or example questions) and saw no other set; sealed, its totals read once at the end of
 * the session that wrote it. `holdout7` (bench/answers.holdout7.json, 200 questions, 45 out of scope) was written the
 * same way and first run once, untouched, at the start of the round that added numbered names and unknown German
 * nouns (top-1 90.0 %, wrong confident answers 4.5 %); its wrong answers were read in that round, so it is a tuning
 * set now. `holdout8` (bench/answers.holdout8.json, 200 questions, 40 out of scope) was written for that round's end
 * by someone who read only the items' titles and bodies and saw no other set: `--set all` leaves it out; it was run
 * once, at the end of that round, and is sealed for good. `holdout9` (bench/answers.holdout9.json, 200 questions, 40
 * out of scope) was written the same way for the next round and has never been run: `--set all` leaves it out; run
 * it with `--set holdout9` once, at the end of that round. Decided before that round began (2026-11-23): the issue's
 * targets are judged on holdout9 alone, as the one set nothing was tuned on — top-1 ≥ 90 % and wrong confident
 * answers ≤ 2 % (at most 4 of its 200) — with the sealed sets together (holdout4–6, 8, 9) reported beside it. That
 * round (the third content round: about 30 example questions per item, written without seeing any set; an adjacent
 * swap before a substitution; answer threshold 0.40) ended with holdout9's one run: top-1 95.0 %, answered at once
 * 71.0 %, top-3 96.0 %, wrong confident answers 2.0 % (4 of 200). holdout9 is spent now, like holdout8; a further
 * round needs a fresh set.
 *
 *   npx tsx bench/answers.eval.ts [--set eval|holdout|holdout2|holdout3|holdout4|holdout5|holdout6|holdout7|holdout8|holdout9|all] [--verbose]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentItem } from '@parley/contracts';
import { parse } from 'yaml';
import { createAnswerMatcher } from '../apps/server/src/modules/content/answer-matcher.js';
import { isShowable } from '../apps/server/src/modules/flows/flow-runtime.js';
import { fmt } from './lib.js';

interface EvalCase {
  q: string;
  lang: string;
  expect: string | null;
  kind: string;
}

const root = new URL('..', import.meta.url).pathname;
const itemsDir = join(root, 'examples/demo/content/items');
// What the bot answers a patient from: approved items valid today for open audiences — the runtime's own filter
// (hcp and rx-promo items reach no one before HCP verification, HWG-01). A question whose expected item is one of
// those others must get no answer from the patient bot: its expectation counts as "nothing" here.
const library = readdirSync(itemsDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(join(itemsDir, f), 'utf8')) as unknown[]).map((raw) => ContentItem.parse(raw)));
const items = library.filter((i) => isShowable(i, new Date()));
const showable = new Set(items.map((i) => i.id));
const matcher = createAnswerMatcher(items, { languages: ['de', 'en'] });

const setArg = process.argv[process.argv.indexOf('--set') + 1];
const allSets = ['eval', 'holdout', 'holdout2', 'holdout3', 'holdout4', 'holdout5', 'holdout6', 'holdout7'];
/** Sets kept out of tuning: valid by name, never part of `all`. */
const sealedSets = ['holdout8', 'holdout9'];
const sets = !process.argv.includes('--set') ? ['eval'] : setArg === 'all' ? allSets : [setArg ?? 'eval'];
for (const set of sets) {
  if (!allSets.includes(set) && !sealedSets.includes(set)) {
    console.error(`unknown set ${set} (${[...allSets, ...sealedSets].join(', ')} or all)`);
    process.exit(2);
  }
  const written = JSON.parse(readFileSync(join(root, `bench/answers.${set}.json`), 'utf8')) as EvalCase[];
  const gated = written.filter((c) => c.expect !== null && !showable.has(c.expect)).length;
  report(set, written.map((c) => (c.expect !== null && !showable.has(c.expect) ? { ...c, expect: null } : c)), gated);
}

function report(set: string, cases: EvalCase[], gated: number): void {
  let top1 = 0;
  let atOnce = 0;
  let top3 = 0;
  let wrongConfident = 0;
  let offTopicMenus = 0;
  const byKind = new Map<string, { n: number; top1: number }>();
  const misses: string[] = [];
  const times: number[] = [];
  for (const c of cases) {
    const t = performance.now();
    const d = matcher.match(c.q, c.lang);
    times.push(performance.now() - t);
    const answered = d.kind === 'answer' ? d.itemId : undefined;
    const offered = d.kind === 'suggest' || d.kind === 'answer' ? d.candidates.map((x) => x.itemId) : [];
    const okAtOnce = c.expect === null ? answered === undefined : answered === c.expect;
    const ok1 = c.expect === null ? answered === undefined : offered[0] === c.expect;
    const ok3 = c.expect === null ? answered === undefined : answered === c.expect || offered.includes(c.expect);
    top1 += ok1 ? 1 : 0;
    atOnce += okAtOnce ? 1 : 0;
    top3 += ok3 ? 1 : 0;
    const wrong = answered !== undefined && answered !== c.expect;
    wrongConfident += wrong ? 1 : 0;
    offTopicMenus += c.expect === null && d.kind === 'suggest' ? 1 : 0;
    const k = byKind.get(c.kind) ?? { n: 0, top1: 0 };
    byKind.set(c.kind, { n: k.n + 1, top1: k.top1 + (ok1 ? 1 : 0) });
    if (!okAtOnce) {
      const candidates = d.candidates.map((x) => `${x.itemId}:${x.confidence}`).join(', ');
      misses.push(`  ${wrong ? '!' : ok1 ? '1' : ' '} ${c.lang} ${JSON.stringify(c.q)} expected ${c.expect ?? '(none)'} got ${d.kind}${answered ? ` ${answered}` : ''} [${candidates}]`);
    }
  }
  const pct = (n: number) => `${fmt((n / cases.length) * 100)} %`;
  const offTopic = cases.filter((c) => c.expect === null).length;
  console.log(`answer quality (${set}) — ${items.length} items a patient may get, ${cases.length} questions (${offTopic} that must not be answered${gated ? `, ${gated} of them asking for HCP-only items` : ''})`);
  console.log(`  top-1 ${pct(top1)}, answered at once ${pct(atOnce)}, top-3 ${pct(top3)}, wrong confident answers ${pct(wrongConfident)} (${wrongConfident})`);
  console.log(`  questions that must not be answered offered a "Meinten Sie …?" menu: ${offTopicMenus} of ${offTopic} (the rest got the offer of a person alone)`);
  console.log(`  by kind: ${[...byKind.entries()].map(([k, v]) => `${k} ${v.top1}/${v.n}`).join(', ')}`);
  console.log(`  mean ${fmt(times.reduce((a, b) => a + b, 0) / times.length, 3)} ms per question`);
  if (process.argv.includes('--verbose')) {
    console.log(misses.join('\n'));
  }
}
