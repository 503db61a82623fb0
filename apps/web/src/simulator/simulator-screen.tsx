import type { ReactNode } from 'react';
import { useT } from '../i18n';
import type { DemoChannel } from './demo-api';
import { PhoneSimulator } from './phone-simulator';
import { useDemoConfig } from './use-demo-config';

/** The simulator page: waits for the demo configuration, then shows the phone or explains why there is none. */
export function SimulatorScreen(): ReactNode {
  const t = useT();
  const state = useDemoConfig();

  if (state.status === 'loading') {
    return (
      <p className="notice" role="status">
        {t('state.loading')}
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="notice" role="alert">
        <p>{t('state.unreachable')}</p>
        <button type="button" className="button" onClick={state.retry}>
          {t('action.retry')}
        </button>
      </div>
    );
  }
  const { config } = state;
  const [first, ...rest] = config.channels;
  if (!config.demo || !first) {
    return (
      <div className="notice" data-testid="demo-off">
        <h2>{t('demoOff.title')}</h2>
        <p>{config.demo ? t('demoOff.noChannels') : t('demoOff.text')}</p>
      </div>
    );
  }
  const channels: [DemoChannel, ...DemoChannel[]] = [first, ...rest];
  return <PhoneSimulator config={{ ...config, channels }} />;
}
