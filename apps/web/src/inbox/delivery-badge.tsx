import type { ReactNode } from 'react';
import { useT, type MessageKey } from '../i18n';
import { CheckIcon, ClockIcon, DoubleCheckIcon } from '../simulator/icons';
import type { Delivery } from './delivery';

/** The tick of an outbound message: clock, ✓, ✓✓ grey, ✓✓ blue, a red "!" or "not sent". Its label is readable text. */
export function DeliveryTick({ delivery }: { delivery: Delivery }): ReactNode {
  const t = useT();
  const label = t(`inbox.tick.${delivery.state}` as MessageKey);
  const icon =
    delivery.state === 'failed' || delivery.state === 'blocked' ? (
      <span className="tick__bang" aria-hidden="true">
        !
      </span>
    ) : delivery.state === 'queued' || delivery.state === 'deferred' ? (
      <ClockIcon />
    ) : delivery.state === 'sent' ? (
      <CheckIcon />
    ) : (
      <DoubleCheckIcon />
    );
  return (
    <span className={`tick tick--${delivery.state === 'blocked' ? 'failed' : delivery.state}`} title={label} data-testid="msg-tick" data-state={delivery.state}>
      {icon}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** Why a message did not reach the contact, in words (the gate's reason or the provider's error), or nothing. */
export function DeliveryProblem({ delivery }: { delivery: Delivery }): ReactNode {
  const t = useT();
  if (delivery.state !== 'failed' && delivery.state !== 'blocked' && delivery.state !== 'deferred') {
    return null;
  }
  const reason = t(delivery.reasonKey ?? 'wa.generic', { code: delivery.gateReason ?? '' });
  const text =
    delivery.state === 'blocked'
      ? t('inbox.blocked', { reason })
      : delivery.state === 'deferred'
        ? reason
        : delivery.errorCode
          ? t('inbox.failure.withCode', { code: delivery.errorCode, reason })
          : t('inbox.failure.noCode', { reason });
  return (
    <p className={`hist-problem${delivery.state === 'deferred' ? ' hist-problem--waiting' : ''}`} data-testid="msg-problem">
      {text}
    </p>
  );
}
