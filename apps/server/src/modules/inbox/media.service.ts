/**
 * The files contacts sent, for the inbox's conversation view: fetched from the channel's provider when an agent
 * opens them (WhatsApp keeps received media 7 days), streamed through, never stored. The same visibility rule as the
 * conversation (a restricted contact's media only for those who may see it, GDPR-20).
 */
import type { ChannelService } from '../channels/index.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { assertVisible, type InboxActor } from './inbox.service.js';
import { findInboundMedia } from './inbox.store.js';

export interface InboxMediaFile {
  mimeType: string;
  size: number | undefined;
  filename: string | undefined;
  body: ReadableStream<Uint8Array>;
}

export interface InboxMediaService {
  /** The file of an inbound media message of the conversation; `media.not_found`, `media.expired` or `media.unavailable` otherwise. */
  open(workspaceId: string, conversationId: string, messageId: string, actor: InboxActor): Promise<InboxMediaFile>;
}

export function createInboxMediaService(deps: { db: Db; channels: ChannelService }): InboxMediaService {
  return {
    async open(workspaceId, conversationId, messageId, actor) {
      await assertVisible(deps.db, workspaceId, conversationId, actor);
      const media = await findInboundMedia(deps.db, workspaceId, conversationId, messageId);
      if (!media) {
        throw new AppError('media.not_found', 'This conversation has no received file with that message id.');
      }
      const channel = await deps.channels.getById(media.channelId);
      if (!channel.adapter.fetchMedia) {
        throw new AppError('media.unavailable', `The ${channel.row.kind} channel cannot fetch received files.`);
      }
      const file = await channel.adapter.fetchMedia(media.mediaId, { settings: channel.settings, secrets: channel.secrets });
      if (!file.ok) {
        throw file.gone
          ? new AppError('media.expired', 'The provider no longer keeps this file (WhatsApp keeps received media for 7 days).')
          : new AppError('media.unavailable', `The provider did not hand out the file: ${file.error.reason}.`);
      }
      return { mimeType: file.mimeType, size: file.size, filename: media.filename, body: file.body };
    },
  };
}
