/**
 * The content library's file format (ARCHITECTURE §5, issue #3): topics (a tree that doubles as the pull menu)
 * and items with per-language text, keywords, synonyms and example questions. Answers are always an approved
 * item's text, verbatim; the matcher only decides which item.
 */
import { z } from 'zod';
import { LanguageCode, LocalizedText } from './flows.js';

/** Who may receive an item (HWG-01: `hcp` and `rx-promo` only for verified healthcare professionals). */
export const AudienceClass = z.enum(['public', 'patient-programme', 'hcp', 'rx-promo']);
export type AudienceClass = z.infer<typeof AudienceClass>;

export const ContentStatus = z.enum(['draft', 'in_review', 'approved', 'expired', 'withdrawn']);
export type ContentStatus = z.infer<typeof ContentStatus>;

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'ids are lower-case slugs (a–z, 0–9, -)');

/** Words per language: `{ de: ['Nebenwirkung'], en: ['side effect'] }`. */
export const LocalizedWords = z.record(LanguageCode, z.array(z.string().min(1).max(200)));
export type LocalizedWords = z.infer<typeof LocalizedWords>;

export const Topic = z.object({
  id: Slug,
  parent: Slug.optional(),
  title: LocalizedText,
  description: LocalizedText.optional(),
  order: z.number().int().optional(),
  keywords: LocalizedWords.optional(),
});
export type Topic = z.infer<typeof Topic>;

export const ContentItem = z.object({
  id: Slug,
  topic: Slug,
  audience: AudienceClass.default('public'),
  status: ContentStatus.default('draft'),
  validFrom: z.iso.date().optional(),
  validUntil: z.iso.date().optional(),
  title: LocalizedText,
  body: LocalizedText,
  /** Exact words that answer with this item at once ("Beipackzettel"). */
  keywords: LocalizedWords.default({}),
  /** Other ways people say the keywords ("Packungsbeilage"). */
  synonyms: LocalizedWords.default({}),
  /** Questions as people ask them; the matcher learns the item's vocabulary from them. */
  questions: LocalizedWords.default({}),
  media: z
    .array(z.object({ type: z.enum(['image', 'video', 'audio', 'document']), link: z.string().url(), caption: LocalizedText.optional(), filename: z.string().optional() }))
    .default([]),
  links: z.array(z.object({ label: LocalizedText, url: z.string().url() })).default([]),
});
export type ContentItem = z.infer<typeof ContentItem>;
