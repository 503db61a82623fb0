import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { CheckIcon, ClockIcon, DoubleCheckIcon } from './icons';
import type { Tick } from './ticks';

/** The delivery state of a business message: clock, ✓, ✓✓ grey, ✓✓ blue, or a red "!". */
export function TickBadge({ tick }: { tick: Tick }): ReactNode {
  const t = useT();
  const label = t(`tick.${tick.state}`);
  if (tick.state === 'failed') {
    return (
      <span className="tick tick--failed" title={label}>
        <span className="tick__bang" aria-hidden="true">
          !
        </span>
        <span className="visually-hidden">{label}</span>
      </span>
    );
  }
  return (
    <span className={`tick tick--${tick.state}`} title={label}>
      {tick.state === 'accepted' ? <ClockIcon /> : tick.state === 'sent' ? <CheckIcon /> : <DoubleCheckIcon />}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** Why a business message failed: the Graph error code and a human explanation (e.g. 131047, 131026). */
export function FailureNote({ tick }: { tick: Tick }): ReactNode {
  const t = useT();
  if (tick.state !== 'failed') {
    return null;
  }
  const reason = t(tick.reasonKey ?? 'error.generic');
  return (
    <span className="bubble__failure" data-testid="msg-failure">
      {tick.errorCode === undefined ? reason : `${t('error.code', { code: tick.errorCode })}: ${reason}`}
    </span>
  );
}
