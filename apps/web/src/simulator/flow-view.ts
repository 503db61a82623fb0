import type { MessageKey, Translate } from '../i18n';
import { DemoApiError, type FlowOption, type FlowVersionOption, type SimulatorState } from './simulator-api';

/** One row of the attributes table: the JSON text, cut to a readable length; `full` is for the tooltip. */
export type AttributeRow = { key: string; text: string; full: string; truncated: boolean };

/** The flow and version chosen in the picker. */
export type FlowSelection = { flowId: string; version: number };

/** Values longer than this many characters are cut in the table (the full value is in the tooltip). */
export const attributeMaxLength = 60;

/**
 * The attributes as table rows, sorted by key, each value rendered as JSON (so `"5"` and `5` look different).
 * @example toAttributeRows({ name: 'Ada' }) // [{ key: 'name', text: '"Ada"', full: '"Ada"', truncated: false }]
 */
export function toAttributeRows(attributes: Record<string, unknown>, maxLength = attributeMaxLength): AttributeRow[] {
  return Object.keys(attributes)
    .sort((a, b) => a.localeCompare(b))
    .map((key) => {
      const full = toJsonText(attributes[key]);
      // Cut by code points, so an emoji is never split in half.
      const chars = Array.from(full);
      const truncated = chars.length > maxLength;
      return { key, text: truncated ? `${chars.slice(0, maxLength - 1).join('')}…` : full, full, truncated };
    });
}

function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Not reachable for parsed JSON; a cycle or BigInt from elsewhere still renders as something readable.
    return String(value);
  }
}

/** The version the picker suggests for a flow: the live one, else the newest published one, else the newest. */
export function pickDefaultVersion(flow: FlowOption): FlowVersionOption | undefined {
  return flow.versions.find((v) => v.live) ?? flow.versions.find((v) => v.status === 'published') ?? flow.versions[0];
}

/**
 * The picker's selection made valid for the current catalog: kept when it still exists, otherwise the flow's (or
 * the first flow's) default version; undefined when there are no flows. Without a version, the flow's default.
 */
export function resolveSelection(
  flows: readonly FlowOption[],
  selection: { flowId: string; version?: number } | undefined,
): FlowSelection | undefined {
  const flow = flows.find((candidate) => candidate.id === selection?.flowId) ?? flows[0];
  if (!flow) {
    return undefined;
  }
  const version = flow.versions.find((candidate) => candidate.version === selection?.version) ?? pickDefaultVersion(flow);
  return version ? { flowId: flow.id, version: version.version } : undefined;
}

/** How the picker labels a version, e.g. "v1 · published · live". */
export function versionLabel(version: FlowVersionOption, t: Translate): string {
  const parts = [`v${version.version}`, t(version.status === 'draft' ? 'flows.draft' : 'flows.published')];
  if (version.live) {
    parts.push(t('flows.live'));
  }
  return parts.join(' · ');
}

/** A readable text for a failed demo API call; codes the user can act on get their own advice. */
export function describeApiError(error: unknown, t: Translate): string {
  if (!(error instanceof DemoApiError)) {
    return t('flows.error.unexpected');
  }
  const known: Partial<Record<string, MessageKey>> = {
    'simulator.no_conversation': 'flows.error.noConversation',
    'flow.not_found': 'flows.error.flowNotFound',
    network: 'flows.error.network',
  };
  const key = known[error.code];
  if (key) {
    return t(key);
  }
  if (isSimulatorUnavailable(error)) {
    return t('flows.error.unavailable');
  }
  const text = t('flows.error.server', { message: error.message, code: error.code });
  return error.requestId ? `${text} ${t('flows.error.requestId', { id: error.requestId })}` : text;
}

/**
 * True when the server has no simulator endpoints at all (an older build, or demo mode off): asking again will not
 * help, so polling stops.
 */
export function isSimulatorUnavailable(error: unknown): boolean {
  return error instanceof DemoApiError && error.status === 404 && (error.code === 'route.not_found' || error.code === 'http.404');
}

/**
 * One sentence about the run for the polite live region: it changes only when the flow, node, status or
 * ownership change, so screen readers hear the steps of the flow and not every poll.
 */
export function summarizeState(state: SimulatorState, t: Translate): string {
  const conversation = state.conversation;
  if (!conversation) {
    return t('run.empty.noConversation');
  }
  const run = conversation.run;
  const ownership = t(`ownership.${conversation.ownership}`);
  if (!run) {
    return `${t('run.empty.noRun')} ${t('run.summary.ownership', { ownership })}`;
  }
  return t('run.summary', {
    flow: run.flowName ?? run.flowId,
    version: run.flowVersion,
    status: t(`runStatus.${run.status}`),
    node: run.nodeId ?? '—',
    ownership,
  });
}
