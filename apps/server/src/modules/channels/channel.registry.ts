/** The ONLY switch on channel kind (ARCHITECTURE §2): everything else asks the registry for an adapter. */
import { AppError } from '../../platform/errors.js';
import type { ChannelAdapter } from './channel.port.js';
import { whatsappCloudAdapter } from './whatsapp-cloud/index.js';

export const channelAdapters = {
  whatsapp: whatsappCloudAdapter,
} satisfies Record<string, Pick<ChannelAdapter, 'kind' | 'capabilities'>>;

export type RegisteredKind = keyof typeof channelAdapters;

export function isRegisteredKind(kind: string): kind is RegisteredKind {
  return Object.hasOwn(channelAdapters, kind);
}

/** The adapter for a kind, typed loosely for code that handles any channel (settings/secrets validated by it). */
export function getAdapter(kind: string): ChannelAdapter<Record<string, unknown>, Record<string, unknown>> {
  if (!isRegisteredKind(kind)) {
    throw new AppError('channel.kind_unknown', `Unknown channel kind "${kind}".`, { kind });
  }
  return channelAdapters[kind] as unknown as ChannelAdapter<Record<string, unknown>, Record<string, unknown>>;
}
