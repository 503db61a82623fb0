import type { FakeSentMessage, SentStatus } from './demo-api';
import type { MessageKey } from '../i18n';

/** What the tick icon under a business message shows. */
export type Tick = {
  state: SentStatus;
  /** Graph error code of a failed message, when the fake reported one. */
  errorCode?: number;
  /** Human explanation of the failure (i18n key). */
  reasonKey?: MessageKey;
};

const known: readonly SentStatus[] = ['accepted', 'sent', 'delivered', 'read', 'failed'];

/**
 * Derives the tick of a business message from the fake's current status.
 * Unknown status names count as `accepted` (a clock): the message exists but nothing is confirmed.
 * @example toTick({ ...message, status: 'failed', errorCode: 131047 }) // { state: 'failed', errorCode: 131047, reasonKey: 'error.131047' }
 */
export function toTick(message: Pick<FakeSentMessage, 'status' | 'statuses' | 'errorCode'>): Tick {
  const state = known.find((status) => status === message.status) ?? 'accepted';
  if (state !== 'failed') {
    return { state };
  }
  const errorCode = message.errorCode ?? lastErrorCode(message.statuses);
  return { state, ...(errorCode === undefined ? {} : { errorCode }), reasonKey: toFailureReason(errorCode) };
}

/** The i18n key explaining a failure code. */
export function toFailureReason(errorCode: number | undefined): MessageKey {
  switch (errorCode) {
    case 131047:
      return 'error.131047';
    case 131026:
      return 'error.131026';
    default:
      return 'error.generic';
  }
}

function lastErrorCode(statuses: FakeSentMessage['statuses']): number | undefined {
  for (let index = statuses.length - 1; index >= 0; index -= 1) {
    const code = statuses[index]?.errorCode;
    if (code !== undefined) {
      return code;
    }
  }
  return undefined;
}
