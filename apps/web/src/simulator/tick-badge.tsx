import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { CheckIcon, ClockIcon, DoubleCheckIcon } from './icons';
import type { Tick } from './ticks';

/** The delivery state of a business message: clock, ✓, ✓✓ grey, ✓✓ blue, or a red "!" with the reason. */
export function TickBadge({ tick }: { tick: Tick }): ReactNode {
  const t = useT();
  const label = t(`tick.${tick.state}`);
  if (tick.state === 'failed') {
    const reason = t(tick.reasonKey ?? 'error.generic');
    const code = tick.errorCode === undefined ? '' : `${t('error.code', { code: tick.errorCode })}: `;
    return (
      <span className="tick tick--failed">
        <span className="tick__bang" aria-hidden="true">
          !
        </span>
        <span className="tick__reason">
          <span className="visually-hidden">{label}. </span>
          {code}
          {reason}
        </span>
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
