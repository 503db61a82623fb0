import { createFbTraceId } from './ids.js';

interface CatalogueEntry {
  title: string;
  http: number;
  details?: string;
}

/**
 * Graph / WhatsApp error codes with title and HTTP status (providers.md §2.12). Where the spec marks
 * the HTTP status UNCONFIRMED we use: 400 for throttling codes (4, 80007, 130429, 131048, 131056),
 * 404 for 132001, 401 for 190, 503 for 131016 and 500 for 131057 (§8 item 5).
 */
const CATALOGUE: Record<number, CatalogueEntry> = {
  0: { title: 'AuthException', http: 401 },
  4: { title: 'Application request limit reached', http: 400 },
  10: { title: 'Permission denied', http: 403 },
  100: { title: 'Invalid parameter', http: 400 },
  190: { title: 'Invalid OAuth access token - Cannot parse access token', http: 401 },
  200: { title: 'Permissions error', http: 403 },
  368: { title: 'Temporarily blocked for policies violations', http: 403 },
  80007: { title: 'Rate limit issues', http: 400 },
  130429: {
    title: 'Rate limit hit',
    http: 400,
    details: 'Message failed to send because there were too many messages sent from this phone number in a short period of time',
  },
  130472: { title: "User's number is part of an experiment", http: 400 },
  131000: { title: 'Something went wrong', http: 500 },
  131005: { title: 'Access denied', http: 403 },
  131008: { title: 'Required parameter is missing', http: 400 },
  131009: { title: 'Parameter value is not valid', http: 400 },
  131016: { title: 'Service unavailable', http: 503 },
  131021: { title: 'Recipient cannot be sender', http: 400, details: 'Sender and recipient phone number is the same.' },
  131026: { title: 'Message undeliverable', http: 400, details: 'Message Undeliverable.' },
  131030: {
    title: 'Recipient phone number not in allowed list',
    http: 400,
    details: "Recipient's phone number is not whitelisted: add the recipient's phone number to a recipient list, then try again.",
  },
  131031: { title: 'Account has been locked', http: 403 },
  131042: { title: 'Business eligibility payment issue', http: 400 },
  131045: { title: 'Incorrect certificate', http: 400 },
  131047: {
    title: 'Re-engagement message',
    http: 400,
    details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131048: { title: 'Spam rate limit hit', http: 400 },
  131049: { title: 'This message was not delivered to maintain healthy ecosystem engagement.', http: 400 },
  131050: {
    title: 'User stopped marketing messages',
    http: 400,
    details: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  },
  131051: { title: 'Unsupported message type', http: 400, details: 'Message type is currently not supported.' },
  131052: { title: 'Media download error', http: 400 },
  131053: { title: 'Media upload error', http: 400 },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    http: 400,
    details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  },
  131057: { title: 'Account in maintenance mode', http: 500 },
  132000: {
    title: 'Number of parameters does not match the expected number of params',
    http: 400,
    details: 'Number of parameters does not match the expected number of params',
  },
  132001: { title: 'Template name does not exist in the translation', http: 404 },
  132005: { title: 'Template hydrated text too long', http: 400 },
  132007: { title: 'Template format character policy violated', http: 400 },
  132012: { title: 'Parameter format does not match format in the created template', http: 400 },
  132015: { title: 'Template is paused', http: 400 },
  132016: { title: 'Template is disabled', http: 400 },
  133010: { title: 'Phone number not registered', http: 400 },
  135000: { title: 'Generic user error', http: 400 },
};

const ERROR_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

/** Codes whose `message` is free text rather than `(#code) title` (§2.11). */
const FREE_TEXT_CODES = new Set([190]);

export interface GraphErrorOptions {
  subcode?: number;
  /** Overrides the standard `(#code) title` message. */
  message?: string;
  httpStatus?: number;
}

/** A synchronous Graph API error (providers.md §2.11); thrown by validators, rendered by the router. */
export class GraphError extends Error {
  readonly code: number;
  readonly httpStatus: number;
  readonly details: string | undefined;
  readonly subcode: number | undefined;

  constructor(code: number, details?: string, options: GraphErrorOptions = {}) {
    const entry = CATALOGUE[code];
    const title = entry?.title ?? 'Error';
    super(options.message ?? (FREE_TEXT_CODES.has(code) ? title : `(#${code}) ${title}`));
    this.name = 'GraphError';
    this.code = code;
    this.httpStatus = options.httpStatus ?? entry?.http ?? 400;
    this.details = details ?? entry?.details;
    this.subcode = options.subcode;
  }

  /** The `{ error: {...} }` envelope with a fresh fbtrace_id. */
  toBody(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { message: this.message, type: 'OAuthException', code: this.code };
    if (this.subcode !== undefined) {
      error.error_subcode = this.subcode;
    }
    if (this.details !== undefined) {
      error.error_data = { messaging_product: 'whatsapp', details: this.details };
    }
    error.fbtrace_id = createFbTraceId();
    return { error };
  }
}

/** Shorthand for throwing a 131008 "required parameter is missing" error. */
export function missingParam(path: string): GraphError {
  return new GraphError(131008, `The parameter ${path} is required.`);
}

/** Shorthand for throwing a 131009 "parameter value is not valid" error. */
export function invalidParam(details: string): GraphError {
  return new GraphError(131009, details);
}

/** The error object carried by failed statuses and value.errors (§1.6, §1.7): title == message. */
export function toWebhookError(code: number, details?: string): Record<string, unknown> {
  const entry = CATALOGUE[code];
  const title = entry?.title ?? 'Error';
  return {
    code,
    title,
    message: title,
    error_data: { details: details ?? entry?.details ?? title },
    href: ERROR_HREF,
  };
}
