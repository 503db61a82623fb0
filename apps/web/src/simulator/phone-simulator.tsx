import { useMemo, useState, type ReactNode } from 'react';
import type { DemoChannel, DemoConfig, InboundContent } from './demo-api';
import { FlowPanel } from './flow-panel';
import { toBusinessView } from './message-view';
import { Phone } from './phone';
import { SidePanel } from './side-panel';
import { buildTimeline } from './timeline';
import { useSentMessages } from './use-sent-messages';
import { useSimulatorState } from './use-simulator-state';
import { useSimulatorSettings } from './use-simulator-settings';
import { useUserChat } from './use-user-chat';

type Props = { config: DemoConfig & { channels: [DemoChannel, ...DemoChannel[]] } };

/**
 * The phone simulator: chat with Parley as a WhatsApp user through the fake Cloud API. The user's messages are kept
 * locally; the business's come from the fake's record of what Parley sent. Beside the phone, the flow panel starts flow
 * versions in the chat and shows the run's state.
 */
export function PhoneSimulator({ config }: Props): ReactNode {
  const { channel, identity, selectChannel, changeIdentity } = useSimulatorSettings(config);
  const { chat, send, retry, reset } = useUserChat(channel, identity);
  const feed = useSentMessages(channel.phoneNumberId, identity.waId);
  const views = useMemo(() => feed.messages.map((message) => toBusinessView(message, window.location.origin)), [feed.messages]);
  const timeline = useMemo(() => buildTimeline(chat.messages, views, chat.hiddenUntil), [chat.messages, views, chat.hiddenUntil]);
  const user = useMemo(() => ({ phoneNumberId: channel.phoneNumberId, waId: identity.waId }), [channel.phoneNumberId, identity.waId]);
  const [starts, setStarts] = useState(0);
  // Changes whenever a message is sent or arrives, or a flow is started: the run state is then loaded at once.
  const delivered = chat.messages.filter((message) => message.state === 'sent').length;
  const activity = `${chat.messages.length}:${delivered}:${feed.messages.length}:${feed.messages.at(-1)?.id ?? ''}:${starts}`;
  const runState = useSimulatorState(user, activity);

  const onSend = (content: InboundContent): void => {
    send(content, feed.loaded ? (feed.messages.at(-1)?.id ?? null) : undefined);
  };
  const onReset = (): void => {
    reset(views.reduce((latest, view) => Math.max(latest, view.createdAt), chat.hiddenUntil));
  };

  return (
    <div className="simulator">
      <Phone channel={channel} timeline={timeline} connection={feed.connection} onSend={onSend} onRetry={retry} />
      <FlowPanel user={user} feed={runState} onStarted={() => setStarts((count) => count + 1)} />
      <SidePanel
        channels={config.channels}
        channel={channel}
        identity={identity}
        onSelectChannel={selectChannel}
        onChangeIdentity={changeIdentity}
        onReset={onReset}
      />
    </div>
  );
}
