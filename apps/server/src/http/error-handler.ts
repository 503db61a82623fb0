/**
 * One table maps error codes to HTTP statuses (STYLE.md); one handler renders problem JSON
 * `{ error: { code, message, requestId, details? } }`. Unexpected errors are logged and shown without internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isAppError } from '../platform/errors.js';

const STATUS: Record<string, number> = {
  'validation.failed': 400,
  'request.malformed': 400,
  'webhook.malformed': 400,
  'webhook.signature_invalid': 401,
  'auth.required': 401,
  'auth.forbidden': 403,
  'auth.csrf': 403,
  'auth.invalid_credentials': 401,
  'auth.rate_limited': 429,
  'user.not_found': 404,
  'user.email_taken': 409,
  'user.last_admin': 409,
  'channel.not_found': 404,
  'route.not_found': 404,
  'webhook.no_handshake': 404,
  'channel.kind_unknown': 400,
  'channel.slug_taken': 409,
  'request.too_large': 413,
  'request.unsupported_media_type': 415,
  'demo.unavailable': 404,
  'consent.unknown_purpose': 422,
  'consent.unknown_text': 422,
  'consent.confirmation_required': 422,
  'consent.suppressed': 409,
  'consent.confirmation_expired': 409,
  'consent.confirmation_unavailable': 422,
  'consent.confirmation_template_invalid': 422,
  'consent.no_address': 422,
  'consent.conflict': 409,
  'simulator.no_conversation': 404,
  'flow.not_found': 404,
  'audit.workspace_not_found': 404,
  'contact.not_found': 404,
  'conversation.not_found': 404,
  'media.not_found': 404,
  'media.expired': 410,
  'media.unavailable': 502,
  'conversation.taken': 409,
  'conversation.not_owner': 403,
  'conversation.wrong_state': 409,
  'conversation.take_needs_user': 422,
  'user.unavailable': 409,
  'queue.not_found': 404,
  'message.not_found': 404,
  'message.purpose_not_allowed': 422,
  'canned.not_found': 404,
  'content.not_available': 422,
  'contact.ambiguous': 409,
  'legal_hold.not_found': 404,
  'legal_hold.wrong_state': 409,
  'legal_hold.same_person': 409,
  'flow.version_published': 409,
  'demo.fake_unreachable': 502,
  'template.account_unknown': 422,
  'template.provider_failed': 502,
  'privacy_request.not_found': 404,
  'privacy_request.closed': 409,
  'privacy_request.already_verified': 409,
  'privacy_request.extension_limit': 409,
  'privacy_request.extension_too_late': 409,
  'privacy_request.notice_date': 400,
  'privacy_request.not_access': 409,
  'privacy_request.other_contact': 409,
  'privacy_request.not_verified': 409,
  'privacy_request.received_at': 400,
};

export function statusForCode(code: string): number {
  // A send the gate blocked, and a template send that does not fit its registry entry: the request was understood
  // and refused (the reason code says why).
  return STATUS[code] ?? (code.startsWith('send.') || code.startsWith('template.') ? 422 : 500);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'route.not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}.`, requestId: req.id } });
  });
  app.setErrorHandler((error: unknown, req, reply) => {
    const err = error as Partial<FastifyError> & { message: string };
    if (isAppError(error)) {
      const status = statusForCode(error.code);
      const retryAfter = error.details?.retryAfterSeconds;
      if (status === 429 && typeof retryAfter === 'number') {
        void reply.header('retry-after', String(retryAfter));
      }
      return reply.code(status).send({ error: { code: error.code, message: error.message, requestId: req.id, ...(error.details ? { details: error.details } : {}) } });
    }
    const fastifyCodes: Record<string, [string, number]> = {
      FST_ERR_CTP_BODY_TOO_LARGE: ['request.too_large', 413],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: ['request.unsupported_media_type', 415],
      FST_ERR_CTP_INVALID_JSON_BODY: ['request.malformed', 400],
      FST_ERR_CTP_EMPTY_JSON_BODY: ['request.malformed', 400],
    };
    const known = err.code ? fastifyCodes[err.code] : undefined;
    if (known) {
      return reply.code(known[1]).send({ error: { code: known[0], message: err.message, requestId: req.id } });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: 'request.malformed', message: err.message, requestId: req.id } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on our side.', requestId: req.id } });
  });
}
