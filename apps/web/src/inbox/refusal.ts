/**
 * A refused inbox action in words (docs/inbox.md "Errors"): who has the conversation, that only its agent may, that
 * the person cannot take conversations — never just a status code.
 */
import { ApiError } from '../auth/api-client';
import type { MessageKey, Translate } from '../i18n';
import { gateReasonKey, isGateReason } from './delivery';

/**
 * @example describeRefusal(new ApiError(409, 'conversation.taken', '…', undefined, { assignee: { name: 'Anna' } }), t)
 * // 'Anna hat dieses Gespräch bereits übernommen.'
 */
export function describeRefusal(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) {
    return t('inbox.refusal.other', { message: error instanceof Error ? error.message : String(error) });
  }
  const details = error.details ?? {};
  const assignee = details.assignee as { name?: unknown } | null | undefined;
  const name = typeof assignee?.name === 'string' && assignee.name ? assignee.name : t('inbox.someone');
  switch (error.code) {
    case 'conversation.taken':
      return t('inbox.refusal.taken', { name });
    case 'conversation.not_owner':
      return t('inbox.refusal.notOwner', { name });
    case 'conversation.wrong_state': {
      const state = typeof details.state === 'string' && ['bot', 'queued', 'agent', 'resolved'].includes(details.state) ? details.state : undefined;
      return t('inbox.refusal.wrongState', { state: state ? t(`inbox.stateWord.${state}` as MessageKey) : '?' });
    }
    case 'user.unavailable':
      return t(details.reason === 'disabled' ? 'inbox.refusal.disabled' : details.reason === 'not_an_agent' ? 'inbox.refusal.notAnAgent' : 'inbox.refusal.unknownUser');
    case 'queue.not_found':
      return t('inbox.refusal.queueNotFound');
    case 'auth.forbidden':
      return t('inbox.refusal.forbidden');
    default:
      if (isGateReason(error.code)) {
        return t('ic.blocked', { reason: t(gateReasonKey(error.code), { code: error.code }) });
      }
      return t('inbox.refusal.other', { message: error.message });
  }
}
