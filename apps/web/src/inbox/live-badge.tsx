import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { useLiveUpdates } from './live-updates';

/** Says how the inbox stays current: live (the feed), catching up, or refreshed every few seconds. */
export function LiveBadge(): ReactNode {
  const t = useT();
  const { status } = useLiveUpdates();
  return (
    <span className={`inbox-live inbox-live--${status}`} role="status" data-testid="live-status" data-status={status}>
      {t(`inbox.live.${status}`)}
    </span>
  );
}
