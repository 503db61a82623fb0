import { z } from 'zod';

export const ChannelKind = z.enum(['whatsapp']);
export type ChannelKind = z.infer<typeof ChannelKind>;

/** Body of `POST /api/admin/channels` for a WhatsApp Cloud API number. */
export const CreateWhatsAppChannelBody = z.object({
  kind: z.literal('whatsapp'),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'slug: 2–63 characters a–z, 0–9 and -, starting with a letter or digit'),
  name: z.string().min(1).max(120).optional(),
  phoneNumberId: z.string().regex(/^\d{5,30}$/, 'phone number id: the digits Meta shows for the number'),
  displayPhoneNumber: z.string().regex(/^\+?\d{6,20}$/).optional(),
  accessToken: z.string().min(8),
  appSecret: z.string().min(8),
  verifyToken: z.string().min(8),
  apiBaseUrl: z.url().optional(),
  apiVersion: z.string().regex(/^v\d+\.\d+$/).optional(),
  mps: z.number().int().min(1).max(1000).optional(),
  autoReply: z.string().min(1).max(4096).optional(),
});
export type CreateWhatsAppChannelBody = z.infer<typeof CreateWhatsAppChannelBody>;

/** What the API shows of a channel: never its secrets. */
export interface ChannelView {
  id: string;
  kind: ChannelKind;
  slug: string;
  name: string;
  status: string;
  webhookUrl: string;
  settings: Record<string, unknown>;
  createdAt: string;
}
