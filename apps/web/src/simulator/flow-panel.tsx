import { useId, type ReactNode } from 'react';
import { useT } from '../i18n';
import { FlowPicker } from './flow-picker';
import { RunStatePanel } from './run-state-panel';
import type { SimulatorUser } from './simulator-api';
import { useFlowCatalog } from './use-flow-catalog';
import type { SimulatorStateFeed } from './use-simulator-state';

type Props = { user: SimulatorUser; feed: SimulatorStateFeed; onStarted: () => void };

/** Beside the phone: start any flow version in the chat, and watch the run it creates. */
export function FlowPanel({ user, feed, onStarted }: Props): ReactNode {
  const t = useT();
  const headingId = useId();
  const catalog = useFlowCatalog();
  return (
    <section className="panel flow-panel" aria-labelledby={headingId} data-testid="flow-panel">
      <h2 id={headingId}>{t('flows.title')}</h2>
      <p>{t('flows.intro')}</p>
      <FlowPicker user={user} catalog={catalog} onStarted={onStarted} />
      <RunStatePanel feed={feed} />
    </section>
  );
}
