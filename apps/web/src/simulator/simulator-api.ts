import { asArray, asNumber, asRecord, asString } from './json-read';

/** One version of a flow the simulator can start; `live` marks the version keywords start. */
export type FlowVersionOption = { version: number; status: 'draft' | 'published'; live: boolean };

/** A flow with its versions, newest first. */
export type FlowOption = { id: string; name: string | null; versions: FlowVersionOption[] };

/** Status of a flow run as the engine reports it. */
export type RunStatus = 'active' | 'ended' | 'handed_off' | 'failed';

/** Who holds the conversation. */
export type Ownership = 'bot' | 'queued' | 'agent' | 'resolved';

/** What a paused run waits for. */
export type RunWaiting = 'input' | 'call' | 'timer';

/** The run of the simulated user's conversation, as `GET …/simulator/state` reports it. */
export type RunState = {
  flowId: string;
  flowVersion: number;
  flowName: string | null;
  /** `unknown` when the server reports a status this app does not know yet. */
  status: RunStatus | 'unknown';
  nodeId: string | null;
  nodeType: string | null;
  waiting: RunWaiting | null;
  attributes: Record<string, unknown>;
};

/** The simulated user's conversation; null in `SimulatorState` until the user has written. */
export type ConversationState = {
  id: string;
  ownership: Ownership | 'unknown';
  language: string | null;
  run: RunState | null;
};

/** `GET /api/demo/simulator/state`. */
export type SimulatorState = { conversation: ConversationState | null };

/** Which simulated user on which number (the conversation's key for the simulator endpoints). */
export type SimulatorUser = { phoneNumberId: string; waId: string };

/**
 * A failed call to the demo API: the problem JSON's `code`, `message` and `requestId` when the server sent one;
 * `code` is `http.<status>` for answers without a problem body and `network` when the server was not reached.
 */
export class DemoApiError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(code: string, message: string, status?: number, requestId?: string) {
    super(message);
    this.name = 'DemoApiError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }
}

const base = '/api/demo/simulator';

/**
 * Lists the flows and their versions (published and drafts).
 * @example const flows = await fetchSimulatorFlows(); flows[0]?.versions.find((v) => v.live)
 */
export async function fetchSimulatorFlows(signal?: AbortSignal): Promise<FlowOption[]> {
  const response = await request(`${base}/flows`, { signal });
  return parseSimulatorFlows(await readJson(response));
}

/** Reads the conversation and run state of one simulated user. */
export async function fetchSimulatorState(user: SimulatorUser, signal?: AbortSignal): Promise<SimulatorState> {
  const query = new URLSearchParams({ phoneNumberId: user.phoneNumberId, waId: user.waId });
  const response = await request(`${base}/state?${query.toString()}`, { signal });
  return parseSimulatorState(await readJson(response));
}

/**
 * Starts a flow version in the simulated user's conversation; the bot's messages then arrive through the normal
 * message path. Rejects with `simulator.no_conversation` when the user has not written yet.
 */
export async function startSimulatorRun(user: SimulatorUser, flow: { flowId: string; version: number }): Promise<void> {
  await request(`${base}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, ...flow }),
  });
}

async function request(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if (init.signal?.aborted) {
      throw error;
    }
    throw new DemoApiError('network', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    throw parseProblem(await readJson(response).catch(() => undefined), response.status);
  }
  return response;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns an error answer into a DemoApiError; bodies that are not problem JSON keep only the HTTP status. */
export function parseProblem(json: unknown, status: number): DemoApiError {
  const error = asRecord(asRecord(json)?.error);
  const code = asString(error?.code) ?? `http.${status}`;
  const message = asString(error?.message) ?? `HTTP ${status}`;
  return new DemoApiError(code, message, status, asString(error?.requestId));
}

/** Validates `GET …/flows`: flows without an id and versions without a number are dropped; versions newest first. */
export function parseSimulatorFlows(json: unknown): FlowOption[] {
  return asArray(asRecord(json)?.flows).flatMap((entry) => {
    const flow = asRecord(entry);
    const id = asString(flow?.id);
    if (!flow || !id) {
      return [];
    }
    const versions = asArray(flow.versions).flatMap((raw) => {
      const item = asRecord(raw);
      const version = asNumber(item?.version);
      if (!item || version === undefined) {
        return [];
      }
      const status: FlowVersionOption['status'] = item.status === 'published' ? 'published' : 'draft';
      return [{ version, status, live: item.live === true }];
    });
    return versions.length === 0 ? [] : [{ id, name: asString(flow.name) ?? null, versions: versions.sort((a, b) => b.version - a.version) }];
  });
}

/** Validates `GET …/state`; a conversation without an id, or a run without a flow, counts as absent. */
export function parseSimulatorState(json: unknown): SimulatorState {
  const conversation = asRecord(asRecord(json)?.conversation);
  const id = asString(conversation?.id);
  if (!conversation || !id) {
    return { conversation: null };
  }
  return {
    conversation: {
      id,
      ownership: oneOf(conversation.ownership, ['bot', 'queued', 'agent', 'resolved']) ?? 'unknown',
      language: asString(conversation.language) ?? null,
      run: parseRun(conversation.run),
    },
  };
}

function parseRun(json: unknown): RunState | null {
  const run = asRecord(json);
  const flowId = asString(run?.flowId);
  const flowVersion = asNumber(run?.flowVersion);
  if (!run || !flowId || flowVersion === undefined) {
    return null;
  }
  return {
    flowId,
    flowVersion,
    flowName: asString(run.flowName) ?? null,
    status: oneOf(run.status, ['active', 'ended', 'handed_off', 'failed']) ?? 'unknown',
    nodeId: asString(run.nodeId) ?? null,
    nodeType: asString(run.nodeType) ?? null,
    waiting: oneOf(run.waiting, ['input', 'call', 'timer']) ?? null,
    attributes: asRecord(run.attributes) ?? {},
  };
}

function oneOf<const T extends string>(value: unknown, options: readonly T[]): T | undefined {
  return options.find((option) => option === value);
}
