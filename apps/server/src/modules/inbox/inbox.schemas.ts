/**
 * What the inbox routes accept: the request schemas shared with the web app (packages/contracts) and the server's
 * own — route parameters and the list's opaque cursor.
 */
import { QueueId } from '@parley/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';

export {
  AssignBody,
  ConversationHistoryQuery,
  ListConversationsQuery,
  MarkReadBody,
  QueueMembersBody,
  TransferBody,
} from '@parley/contracts';

export const ConversationParams = z.object({ id: z.uuid({ message: 'a conversation id is a UUID' }) });
export const QueueParams = z.object({ id: QueueId });
export const MediaParams = ConversationParams.extend({ messageId: z.uuid({ message: 'a message id is a UUID' }) });

/** Where a page ended: the sort key (UTC with microseconds, or `infinity`) and the conversation id. */
export type Cursor = { key: string; id: string };

const CursorShape = z.tuple([z.string().regex(/^(infinity|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)$/), z.uuid()]);

/** The opaque `cursor` of the list (base64url JSON). */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString('base64url');
}

/** Reads a cursor from `encodeCursor`; throws `validation.failed` for anything else. */
export function decodeCursor(text: string): Cursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = CursorShape.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('validation.failed', 'cursor: not a cursor this list gave out (start again without one)');
  }
  return { key: parsed.data[0], id: parsed.data[1] };
}
