/**
 * What the contact is told when the bot hands over (ARCHITECTURE §6): once, in their language, what happens next —
 * business-hours aware. Inside the hours (or without configured hours) the `handoff` text, unless the flow's hand-off
 * node already said its own words; outside them `handoffClosed` with when someone will answer ("ab Montag, 8:00
 * Uhr"). Later messages while the conversation waits get no reply at all: the bot is silent while a person owns it.
 * Pure: the caller passes `now`.
 */
import type { MenuOption, OutboundContent } from '@parley/contracts';
import { findOpening, formatOpening, type HandoffReason } from '../inbox/index.js';
import type { WorkspaceRuntime } from './flow-runtime.js';
import { runnerText } from './flow-texts.js';
import type { TurnResult } from './flow-turn.js';

/** The option that hands an unanswered question to a person (a tap, or its number typed on SMS). */
export const ESCALATE_OPTION_ID = 'agent:escalate';

/**
 * The notice for a hand-off at `now`: empty when the hours are open and the flow already said its own message.
 *
 * @example handoffNotice(runtime, 'de', new Date('2026-03-07T12:00:00Z'), false)
 * // [{ type: 'text', text: '… wir melden uns hier im Chat ab Montag, 8:00 Uhr.' }] with hours mon–fri 08:00-20:00
 */
export function handoffNotice(runtime: WorkspaceRuntime, language: string, now: Date, saidOwnMessage: boolean): OutboundContent[] {
  const hours = runtime.settings.businessHours;
  const opening = hours ? findOpening(hours, now) : ({ open: true } as const);
  const own = runtime.settings.texts;
  if (opening.open) {
    return saidOwnMessage ? [] : [{ type: 'text', text: runnerText(language, 'handoff', own) }];
  }
  const when = opening.next && hours ? formatOpening(opening.next, now, hours.timeZone, language) : language === 'en' ? 'as soon as we can' : 'so bald wie möglich';
  return [{ type: 'text', text: runnerText(language, 'handoffClosed', own).replaceAll('{when}', when) }];
}

/** "Talk to a person" as an option of the runner's menus ("Did you mean …?", no answer). */
export function escalationOption(runtime: WorkspaceRuntime, language: string): MenuOption {
  return { id: ESCALATE_OPTION_ID, title: runnerText(language, 'talkToPerson', runtime.settings.texts) };
}

/** A turn's hand-off as the store takes it (`TurnWrite.handoff`), or undefined when the bot keeps the conversation. */
export function handoffOf(turn: Pick<TurnResult, 'handoff' | 'handoffReason'>): { queue: string; reason: HandoffReason } | undefined {
  return turn.handoff === undefined ? undefined : { queue: turn.handoff, reason: turn.handoffReason ?? 'flow' };
}
