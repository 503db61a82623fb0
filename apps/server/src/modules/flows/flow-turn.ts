/**
 * One turn of the bot for one inbound message (pure): global commands, keyword triggers, the waiting run, the
 * greeting flow of a new conversation, else the answer library. Engine effects are applied in their order among
 * the outputs (ARCHITECTURE §5). Answers are approved items' text, verbatim; nothing is generated.
 *
 * Effects that leave the turn — an HTTP call, a timer, a topic subscription — are returned in `effects` for the
 * caller to store in the same transaction as the turn (flow-effects.store.ts); a call's or timer's result comes
 * back later as `resumeTurn`.
 */
import type { ContentRef, Flow, FlowRunState, InboundContent, MenuOption, OutboundContent } from '@parley/contracts';
import { type Candidate, foldText } from '../content/index.js';
import type { OutboundInput } from '../outbound/index.js';
import { advance, createRunState, type EngineInput, type EngineResult, type HttpRequestSpec } from '../engine/index.js';
import { runnerText } from './flow-texts.js';
import { commandKey, type WorkspaceRuntime } from './flow-runtime.js';
import { type ConsentRecord, consentPurposes, showConsent, shownConsent, stopTurn } from './flow-consent.js';
import { ESCALATE_OPTION_ID, escalationOption, handoffNotice } from './flow-handoff.js';

export interface TurnInput {
  runtime: WorkspaceRuntime;
  state: FlowRunState | null;
  isNewConversation: boolean;
  content: InboundContent;
  language: string;
  now: Date;
  /** The runner's last menu in this conversation (topics, suggestions): a typed number or title picks from it. */
  lastMenu?: MenuOption[] | null;
}

export interface TurnResult {
  outputs: OutboundContent[];
  state: FlowRunState | null;
  /** The queue a person should take the conversation from. */
  handoff?: string;
  /** Why: AGENT/MITARBEITER, a flow's hand-off node, or a tap on "talk to a person" after an unanswered question. */
  handoffReason?: 'command' | 'flow' | 'escalated';
  language?: string;
  /** A question the library could not answer, for the content team. */
  unanswered?: { text: string; language: string; candidates: Candidate[] };
  /**
   * What this message says about the conversation's last unanswered question: the person picked a library item
   * (from "Did you mean …?") or asked for a person. Stored with that question as the content team's evidence.
   */
  followUp?: UnansweredFollowUp;
  /** Work outside the turn, stored with it: the run waits for a call's or timer's result (see `resumeTurn`). */
  effects: PendingEffect[];
  /** The runner menu to remember (see `TurnInput.lastMenu`); null forgets it, undefined keeps it. */
  lastMenu?: MenuOption[] | null;
  /** STOP withdraws, START grants again (the consent purposes of `consentPurposes`), in the turn's transaction. */
  consent?: { kind: 'stop' | 'start'; purposes: string[] };
  /** Decisions taken at consent nodes, with the exact wording version shown (GDPR-05). */
  consentRecords?: ConsentRecord[];
}

/** Options of a topic menu per message; a longer topic pages with a "more" option (WhatsApp lists hold 10 rows). */
export const TOPIC_PAGE_SIZE = 10;

export type UnansweredFollowUp = { kind: 'picked'; itemId: string } | { kind: 'escalated' };

export type PendingEffect =
  | { type: 'call'; token: string; request: HttpRequestSpec }
  | { type: 'timer'; token: string; at: string }
  | { type: 'subscribe' | 'unsubscribe'; topic: string };

const MAX_CHAINED_FLOWS = 5;

export function runTurn(input: TurnInput): TurnResult {
  return remember(turn({ ...input, content: pickFromLastMenu(input) }));
}

function turn(input: TurnInput): TurnResult {
  const { runtime, content } = input;
  const language = input.state?.language ?? input.language;
  const result: TurnResult = { outputs: [], state: input.state, effects: [] };
  const text = content.type === 'text' ? content.text.trim() : content.type === 'interactive_reply' ? content.title : undefined;
  const folded = text !== undefined ? commandKey(text) : undefined;
  // Global commands (workspace.yaml `commands`, ARCHITECTURE §5) work in every flow and language. A tapped
  // option is the flow's choice, except a tap that asks for a person.
  const command = folded !== undefined ? runtime.commands.get(folded) : undefined;
  const own = runtime.settings.texts;

  if (command === 'stop') {
    return stopTurn(runtime, language, result);
  }
  const escalated = content.type === 'interactive_reply' && content.replyId === ESCALATE_OPTION_ID;
  if (command === 'agent' || escalated) {
    result.outputs.push(...handoffNotice(runtime, language, input.now, false));
    result.handoff = runtime.handoffQueue;
    result.handoffReason = escalated ? 'escalated' : 'command';
    result.followUp = { kind: 'escalated' };
    result.state = null;
    return result;
  }
  if (content.type === 'interactive_reply' && RUNNER_OPTION.test(content.replyId)) {
    const [kind, id] = content.replyId.split(/:(.*)/s) as [string, string];
    const [topic, page] = id.split('@') as [string, string | undefined];
    if (kind === 'item') {
      result.followUp = { kind: 'picked', itemId: id };
    }
    result.outputs.push(...(kind === 'item' ? renderContent(runtime, { item: id }, language) : renderContent(runtime, { topic }, language, Number(page ?? 1))));
    return result;
  }
  const typedCommand = content.type === 'text' ? command : undefined;
  if (typedCommand === 'start') {
    result.consent = { kind: 'start', purposes: consentPurposes(runtime) };
  }
  if ((typedCommand === 'menu' || typedCommand === 'start') && runtime.menuFlow) {
    return startFlow(runtime, runtime.menuFlow, input.now, result, language);
  }
  const triggered = folded ? findKeywordFlow(runtime, folded) : undefined;
  if (triggered) {
    return startFlow(runtime, triggered, input.now, result, language);
  }
  if (typedCommand === 'help') {
    result.outputs.push({ type: 'text', text: runnerText(language, 'help', own) });
    return result;
  }
  const state = input.state;
  if (state && state.status === 'active' && state.waiting === 'input') {
    const flow = runtime.versions.get(`${state.flowId}@${state.flowVersion}`);
    if (flow) {
      const next = advance(flow, state, { type: 'message', content }, { now: input.now });
      // A menu that did not understand a free text hands it to the answer library: pull, in the user's words.
      // The run stays where it was, so the menu still works afterwards. "Did not understand" is the engine's own
      // contract: a re-ask keeps the node and counts a failed attempt (FlowRunState.attempts).
      const atMenu = state.nodeId !== null && flow.nodes[state.nodeId]?.type === 'menu';
      const rejected = next.state.nodeId === state.nodeId && next.state.attempts > state.attempts;
      if (atMenu && rejected && content.type === 'text' && text) {
        answer(runtime, text, language, result);
        return result;
      }
      apply(runtime, next, input.now, result, 0);
      return result;
    }
  }
  if (input.isNewConversation && !state) {
    const greeting = [...runtime.flows.values()].find((f) => f.triggers.some((t) => t.type === 'new_conversation'));
    if (greeting) {
      return startFlow(runtime, greeting, input.now, result, language);
    }
  }
  if (text === undefined || text === '') {
    // A sticker, voice note or picture the bot cannot read: a polite word and the menu, never silence. A run that
    // waits for a timer or a call keeps waiting (the reminder still comes).
    result.outputs.push({ type: 'text', text: runnerText(language, 'onlyText', runtime.settings.texts) });
    if (runtime.menuFlow && state?.status !== 'active') {
      return startFlow(runtime, runtime.menuFlow, input.now, result, language);
    }
    return result;
  }
  answer(runtime, text, language, result);
  return result;
}

/**
 * A call's or timer's result for the run waiting for it (`state.waitToken` must be the input's token). Returns
 * undefined when the input is stale — the run moved on, or its flow version is gone — and changes nothing then.
 */
export function resumeTurn(runtime: WorkspaceRuntime, state: FlowRunState, input: Extract<EngineInput, { type: 'call_result' | 'timer' }>, now: Date): TurnResult | undefined {
  const flow = runtime.versions.get(`${state.flowId}@${state.flowVersion}`);
  if (!flow || state.status !== 'active' || state.waitToken === null || state.waitToken !== input.token) {
    return undefined;
  }
  const result: TurnResult = { outputs: [], state, effects: [] };
  apply(runtime, advance(flow, state, input, { now }), now, result, 0);
  return remember(result);
}

/** Starts `flow` (any stored version, drafts included: the simulator) in a conversation, keeping its attributes. */
export function startRun(runtime: WorkspaceRuntime, flow: Flow, state: FlowRunState | null, language: string, now: Date): TurnResult {
  return remember(startFlow(runtime, flow, now, { outputs: [], state, effects: [] }, state?.language ?? language));
}

/** Option ids of the runner's own menus: library items, topics (with a page, `topic:materialien@2`), a person. */
const RUNNER_OPTION = /^(item|topic|agent):/;

/**
 * A typed number ("3") or an option's exact title after one of the runner's menus is that option, as if tapped:
 * channels without lists show numbered text, and people type numbers on WhatsApp too. The flow's own menus
 * already understand numbers (the engine), so this applies only while the runner's menu is the latest one.
 */
function pickFromLastMenu(input: TurnInput): InboundContent {
  const { content, lastMenu } = input;
  if (content.type !== 'text' || !lastMenu || lastMenu.length === 0) {
    return content;
  }
  const typed = content.text.trim();
  const byNumber = /^\d{1,3}$/.test(typed) ? lastMenu[Number(typed) - 1] : undefined;
  const folded = foldText(typed);
  const option = byNumber ?? lastMenu.find((o) => foldText(o.title) === folded);
  return option ? { type: 'interactive_reply', replyId: option.id, title: option.title, via: 'list' } : content;
}

/** Remembers the runner's menu when it is the turn's last output; any other output makes it stale. */
function remember(result: TurnResult): TurnResult {
  const last = result.outputs.at(-1);
  if (last?.type === 'menu' && last.options.every((o) => RUNNER_OPTION.test(o.id))) {
    result.lastMenu = last.options;
  } else if (last) {
    result.lastMenu = null;
  }
  return result;
}

function startFlow(runtime: WorkspaceRuntime, flow: Flow, now: Date, result: TurnResult, language: string, depth = 0, nodeId?: string): TurnResult {
  // Attributes outlive a run (a flow may remember it greeted already); the language goes with the contact. The
  // wait-token counter goes on too, so a timer of an earlier run can never wake this one.
  const state = { ...createRunState(flow, { language, attributes: result.state?.attributes ?? {} }), seq: result.state?.seq ?? 0 };
  apply(runtime, advance(flow, state, nodeId ? { type: 'start', nodeId } : { type: 'start' }, { now }), now, result, depth);
  return result;
}

/** Applies an engine result: outputs in order, each effect where it stands among them. */
function apply(runtime: WorkspaceRuntime, r: EngineResult, now: Date, result: TurnResult, depth: number): void {
  result.state = r.state;
  const language = r.state.language;
  for (let i = 0; i <= r.outputs.length; i++) {
    for (const effect of r.effects.filter((e) => e.outputIndex === i)) {
      switch (effect.type) {
        case 'send_content':
          result.outputs.push(...renderContent(runtime, effect.ref, effect.language));
          break;
        case 'answer_question':
          answer(runtime, effect.question, effect.language, result);
          break;
        case 'handoff': {
          // Said once: the node's own message when people answer now, else when they will (business hours).
          const node = runtime.versions.get(`${r.state.flowId}@${r.state.flowVersion}`)?.nodes[r.state.nodeId ?? ''];
          result.outputs.push(...handoffNotice(runtime, language, now, node?.type === 'handoff' && node.message !== undefined));
          result.handoff = effect.queue;
          result.handoffReason = 'flow';
          break;
        }
        case 'language_changed':
          result.language = effect.language;
          break;
        case 'goto_flow': {
          const target = runtime.flows.get(effect.flowId);
          if (target && depth < MAX_CHAINED_FLOWS) {
            // The rest of this result is before the jump; the target's outputs follow.
            result.outputs.push(...r.outputs.slice(i));
            startFlow(runtime, target, now, result, language, depth + 1, effect.nodeId);
            return;
          }
          break;
        }
        case 'call_http':
          result.effects.push({ type: 'call', token: effect.token, request: effect.request });
          break;
        case 'schedule_wake':
          result.effects.push({ type: 'timer', token: effect.token, at: effect.at });
          break;
        case 'subscribe':
        case 'unsubscribe':
          result.effects.push({ type: effect.type, topic: effect.topic });
          break;
        case 'show_consent':
          showConsent(runtime, r.state, effect.consentText, effect.language, result);
          break;
        case 'record_consent': {
          const shown = shownConsent(r.state)[effect.consentText];
          if (shown) {
            result.consentRecords = [...(result.consentRecords ?? []), { ...shown, decision: effect.decision }];
          }
          break;
        }
        case 'offer_help': {
          // After the last failed attempt the engine said how to go on ("MENÜ … or MITARBEITER"); a tap on "talk to
          // a person" makes the second as easy as typing the first.
          const last = result.outputs.at(-1);
          if (last?.type === 'text') {
            result.outputs[result.outputs.length - 1] = { type: 'menu', body: last.text, options: [escalationOption(runtime, language)] };
          }
          break;
        }
        case 'input_ignored':
        case 'flow_error':
          break;
        default: {
          const never: never = effect;
          throw new Error(`unknown effect ${JSON.stringify(never)}`);
        }
      }
    }
    const output = r.outputs[i];
    if (output) {
      result.outputs.push(output);
    }
  }
}

function answer(runtime: WorkspaceRuntime, question: string, language: string, result: TurnResult): void {
  const decision = runtime.matcher.match(question, language);
  if (decision.kind === 'answer') {
    result.outputs.push(...renderContent(runtime, { item: decision.itemId }, language));
    return;
  }
  if (decision.kind === 'suggest' && decision.candidates.length > 0) {
    const options = decision.candidates.flatMap((c): MenuOption[] => {
      const item = runtime.items.get(c.itemId);
      return item ? [{ id: `item:${item.id}`, title: localized(item.title, language) }] : [];
    });
    // The last option hands the question to a person (a tap is enough).
    options.push(escalationOption(runtime, language));
    result.outputs.push({ type: 'menu', body: runnerText(language, 'didYouMean', runtime.settings.texts), button: runnerText(language, 'choose', runtime.settings.texts), options });
    result.unanswered = { text: question, language, candidates: decision.candidates };
    return;
  }
  result.outputs.push({ type: 'menu', body: runnerText(language, 'noAnswer', runtime.settings.texts), options: [escalationOption(runtime, language)] });
  result.unanswered = { text: question, language, candidates: decision.candidates };
}

/** The library item an output carries (set by renderContent), for the send gate's re-check at dispatch. */
const carriedItem = new WeakMap<OutboundContent, string>();

/**
 * A bot output as an outbound message of the conversation, with the item it carries: a `service` reply, or — for
 * what a flow sends on its own after a wait — the flow's `purpose`.
 */
export function toReply(to: { workspaceId: string; conversationId: string; channelId: string }, content: OutboundContent, purpose = 'service'): OutboundInput {
  const item = carriedItem.get(content);
  return { ...to, content, purpose, ...(item ? { contentRefs: [item] } : {}) };
}

/**
 * An item as text (title, body, links) plus its media; a topic as a menu of its sub-topics and items, `page` by
 * page (TOPIC_PAGE_SIZE options, the last of them "more" when the topic goes on).
 */
export function renderContent(runtime: WorkspaceRuntime, ref: ContentRef, language: string, page = 1): OutboundContent[] {
  if ('item' in ref) {
    const item = runtime.items.get(ref.item);
    if (!item) {
      return [{ type: 'text', text: runnerText(language, 'noAnswer', runtime.settings.texts) }];
    }
    const links = item.links.map((l) => `${localized(l.label, language)}: ${l.url}`);
    const text = [`*${localized(item.title, language)}*`, localized(item.body, language), ...links].join('\n\n');
    const outputs: OutboundContent[] = [
      { type: 'text', text: text.slice(0, 4096) },
      ...item.media.map((m): OutboundContent => ({ type: 'media', mediaType: m.type, link: m.link, ...(m.caption ? { caption: localized(m.caption, language) } : {}), ...(m.filename ? { filename: m.filename } : {}) })),
    ];
    outputs.forEach((o) => carriedItem.set(o, item.id));
    return outputs;
  }
  const topic = runtime.topics.get(ref.topic);
  const subtopics = [...runtime.topics.values()].filter((t) => t.parent === ref.topic).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const items = [...runtime.items.values()].filter((i) => i.topic === ref.topic);
  const options: MenuOption[] = [
    ...subtopics.map((t) => ({ id: `topic:${t.id}`, title: localized(t.title, language) })),
    ...items.map((i) => ({ id: `item:${i.id}`, title: localized(i.title, language) })),
  ];
  if (!topic || options.length === 0) {
    return [{ type: 'text', text: runnerText(language, 'noAnswer', runtime.settings.texts) }];
  }
  const perPage = TOPIC_PAGE_SIZE - 1;
  const pages = options.length <= TOPIC_PAGE_SIZE ? 1 : Math.ceil(options.length / perPage);
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
  const shown = pages === 1 ? options : options.slice((current - 1) * perPage, current * perPage);
  if (current < pages) {
    shown.push({ id: `topic:${ref.topic}@${current + 1}`, title: runnerText(language, 'more', runtime.settings.texts) });
  }
  const title = pages === 1 ? localized(topic.title, language) : `${localized(topic.title, language)} (${current}/${pages})`;
  return [{ type: 'menu', body: `${title} — ${runnerText(language, 'topicPrompt', runtime.settings.texts)}`, button: runnerText(language, 'choose', runtime.settings.texts), options: shown }];
}

function findKeywordFlow(runtime: WorkspaceRuntime, folded: string): Flow | undefined {
  for (const flow of runtime.flows.values()) {
    for (const trigger of flow.triggers) {
      if (trigger.type === 'keyword' && Object.values(trigger.keywords).some((words) => words.some((w) => commandKey(w) === folded))) {
        return flow;
      }
    }
  }
  return undefined;
}

function localized(text: Record<string, string>, language: string): string {
  return text[language] ?? text.de ?? text.en ?? Object.values(text)[0] ?? '';
}
