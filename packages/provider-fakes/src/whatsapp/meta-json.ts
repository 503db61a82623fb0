import { createHmac } from 'node:crypto';

/**
 * Serialises like Meta does on the wire: JSON with every non-ASCII UTF-16 code unit written as a
 * lowercase `\uXXXX` escape, so astral characters become surrogate-pair escapes (providers.md §1.2).
 * Non-ASCII only ever occurs inside JSON strings, so escaping the serialised text is safe.
 * Whether Meta also escapes `/` as `\/` is UNCONFIRMED (§8 item 2); `escapeSlashes` opts in.
 *
 * @example toMetaJson({ text: 'äö 👍' }) === '{"text":"\\u00e4\\u00f6 \\ud83d\\udc4d"}'
 */
export function toMetaJson(value: unknown, options: { escapeSlashes?: boolean } = {}): string {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new TypeError('toMetaJson: value is not JSON-serialisable');
  }
  const escaped = json.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return options.escapeSlashes === true ? escaped.replace(/\//g, '\\/') : escaped;
}

/**
 * `X-Hub-Signature-256` value for a webhook body: HMAC-SHA256 keyed with the app secret over the
 * exact body bytes, lowercase hex, prefixed with `sha256=` (providers.md §1.2).
 *
 * @example signWhatsAppBody('test_app_secret', '{"object":"whatsapp_business_account","entry":[]}')
 */
export function signWhatsAppBody(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody, 'utf8').digest('hex')}`;
}
