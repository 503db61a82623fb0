/**
 * How a file a contact sent is served to the inbox (pure; STYLE.md `x.policy.ts`). The bytes come from outside, so
 * the browser must never treat them as a page: only raster images, audio and video are shown inline, under their own
 * type; everything else is a download of unknown type. No response may be sniffed, run script or be embedded by
 * another site.
 */

/** Types the inbox shows in place: what WhatsApp delivers for images, stickers, voice notes and videos (providers.md §3.3). */
const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/(aac|amr|mpeg|mp4|ogg)|video\/(mp4|3gpp))$/;

/**
 * The response headers for a media file of `mimeType` (parameters such as `; codecs=opus` are kept for the browser).
 * @example mediaHeaders({ mimeType: 'image/svg+xml', filename: 'a.svg' })['content-type'] // 'application/octet-stream'
 */
export function mediaHeaders(file: { mimeType: string; filename?: string; size?: number }): Record<string, string> {
  const base = file.mimeType.split(';')[0]!.trim().toLowerCase();
  const inline = INLINE.test(base);
  return {
    'content-type': inline ? file.mimeType : 'application/octet-stream',
    'content-disposition': `${inline ? 'inline' : 'attachment'}${file.filename ? `; ${dispositionName(file.filename)}` : ''}`,
    ...(file.size !== undefined ? { 'content-length': String(file.size) } : {}),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
    // A contact's file: kept by this browser only, and only briefly.
    'cache-control': 'private, max-age=300',
  };
}

/** RFC 6266 filename parameters: an ASCII fallback and the UTF-8 name (RFC 8187); quotes and controls removed. */
function dispositionName(name: string): string {
  const clean = [...name].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '"' || ch === '\\' || ch === '/' ? '_' : ch)).join('').slice(0, 200);
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}
