import { useCallback, useState } from 'react';
import { loadChannelId, loadIdentity, saveChannelId, saveIdentity, type Identity } from './chat-store';
import type { DemoChannel, DemoConfig } from './demo-api';
import { getSessionStore } from './session-store';

/** Which channel the phone talks to and who the simulated user is; both kept per tab in sessionStorage. */
export type SimulatorSettings = {
  channel: DemoChannel;
  identity: Identity;
  selectChannel: (phoneNumberId: string) => void;
  changeIdentity: (identity: Identity) => void;
};

const fallbackUser: Identity = { waId: '491701234567', name: 'Demo User' };

/** Settings for a demo config with at least one channel. */
export function useSimulatorSettings(config: DemoConfig & { channels: [DemoChannel, ...DemoChannel[]] }): SimulatorSettings {
  const [channelId, setChannelId] = useState(() => loadChannelId(getSessionStore()));
  const [identity, setIdentity] = useState<Identity>(() => loadIdentity(getSessionStore()) ?? config.user ?? fallbackUser);
  const channel = config.channels.find((candidate) => candidate.phoneNumberId === channelId) ?? config.channels[0];

  const selectChannel = useCallback((phoneNumberId: string) => {
    setChannelId(phoneNumberId);
    saveChannelId(getSessionStore(), phoneNumberId);
  }, []);
  const changeIdentity = useCallback((next: Identity) => {
    setIdentity(next);
    saveIdentity(getSessionStore(), next);
  }, []);

  return { channel, identity, selectChannel, changeIdentity };
}
