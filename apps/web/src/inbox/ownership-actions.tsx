import { useState, type ReactNode } from 'react';
import { hasRole } from '../auth/auth-api';
import { useCurrentUser } from '../auth/session';
import { useT } from '../i18n';
import type { ConversationSummary, OwnershipMove } from './inbox-api';
import { useMoveConversation } from './inbox-queries';
import { describeRefusal } from './refusal';
import { TransferForm } from './transfer-form';

/** Which moves the signed-in person may make now (the server's rules, ownership.ts): nothing else is offered. */
export function allowedMoves(row: Pick<ConversationSummary, 'state' | 'assignee'>, me: { id: string } | null, admin: boolean) {
  const mine = row.state === 'agent' && row.assignee?.id === me?.id;
  const manages = row.state === 'queued' || (row.state === 'agent' && (mine || admin));
  return {
    take: row.state === 'bot' || row.state === 'queued' || row.state === 'resolved',
    /** Give it to someone (from the bot, a queue or resolved) or move it on (from a queue or an agent). */
    pass: row.state !== 'agent' || manages,
    resolve: row.state === 'agent' && manages,
    returnToBot: manages,
  };
}

/**
 * Take, resolve, return to the bot, transfer or assign. A refusal (someone was faster, the person left) is said in
 * words under the buttons, and the conversation shows its real owner again.
 */
export function OwnershipActions({ row }: { row: ConversationSummary }): ReactNode {
  const t = useT();
  const me = useCurrentUser();
  const move = useMoveConversation(row.id);
  const [passing, setPassing] = useState(false);
  const allowed = allowedMoves(row, me, hasRole(me, 'admin'));
  const run = (next: OwnershipMove) => {
    move.mutate(next, { onSuccess: () => setPassing(false) });
  };
  const busy = move.isPending;
  return (
    <div className="conv-actions">
      <div className="conv-actions__buttons" role="group" aria-label={t('inbox.action.label')}>
        {allowed.take ? (
          <button type="button" className="button" disabled={busy} data-testid="action-take" onClick={() => run({ kind: 'take' })}>
            {t('inbox.action.take')}
          </button>
        ) : null}
        {allowed.resolve ? (
          <button type="button" className="button" disabled={busy} data-testid="action-resolve" onClick={() => run({ kind: 'resolve' })}>
            {t('inbox.action.resolve')}
          </button>
        ) : null}
        {allowed.returnToBot ? (
          <button type="button" className="button button--quiet" disabled={busy} data-testid="action-return" onClick={() => run({ kind: 'return-to-bot' })}>
            {t('inbox.action.return')}
          </button>
        ) : null}
        {allowed.pass ? (
          <button type="button" className="button button--quiet" aria-expanded={passing} disabled={busy} data-testid="action-transfer" onClick={() => setPassing(!passing)}>
            {row.state === 'agent' || row.state === 'queued' ? t('inbox.action.transfer') : t('inbox.action.assign')}
          </button>
        ) : null}
      </div>
      {passing ? <TransferForm row={row} busy={busy} onSubmit={run} onCancel={() => setPassing(false)} /> : null}
      {busy ? (
        <p className="conv-actions__status" role="status">
          {t('inbox.action.busy')}
        </p>
      ) : null}
      {move.error && !busy ? (
        <p className="inline-notice inline-notice--error conv-actions__error" role="alert" data-testid="action-refusal">
          {describeRefusal(move.error, t)}
        </p>
      ) : null}
    </div>
  );
}
