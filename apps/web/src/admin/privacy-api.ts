/**
 * The access-request cases as the web app calls them (`/api/admin/privacy-requests`, docs/compliance.md "Answering
 * an access request"), and the export that answers one.
 */
import type { VerificationMethod } from '@parley/contracts';
import { apiBlob, apiRequest } from '../auth/api-client';
import { saveBlob } from '../download';

export type RequestCase = {
  id: string;
  contactId: string;
  kind: string;
  status: 'open' | 'verified' | 'done' | 'refused' | 'partial' | 'held';
  receivedAt: string;
  dueAt: string;
  completedAt: string | null;
  verificationMethod: string | null;
  extensionMonths: number;
  refusalReason: string | null;
  daysLeft: number;
  overdue: boolean;
};

const base = '/api/admin/privacy-requests';

export async function listRequests(all: boolean, signal?: AbortSignal): Promise<RequestCase[]> {
  return (await apiRequest<{ requests: RequestCase[] }>('GET', `${base}?open=${!all}`, undefined, { signal })).requests;
}

export async function openRequest(contact: string, receivedAt: string | undefined): Promise<RequestCase> {
  return (await apiRequest<{ request: RequestCase }>('POST', base, { contact, ...(receivedAt ? { receivedAt } : {}) })).request;
}

export async function verifyRequest(id: string, method: VerificationMethod): Promise<RequestCase> {
  return (await apiRequest<{ request: RequestCase }>('POST', `${base}/${encodeURIComponent(id)}/verify`, { method })).request;
}

export async function extendRequest(id: string, months: number, reason: string): Promise<RequestCase> {
  return (await apiRequest<{ request: RequestCase }>('POST', `${base}/${encodeURIComponent(id)}/extend`, { months, reason })).request;
}

export async function refuseRequest(id: string, reason: string): Promise<RequestCase> {
  return (await apiRequest<{ request: RequestCase }>('POST', `${base}/${encodeURIComponent(id)}/refuse`, { reason })).request;
}

/**
 * Answers a verified request: downloads the contact's export (the printable page, in `lang`) under the request's
 * name; the server marks the request answered. Throws the server's refusal (`privacy_request.not_verified` …).
 */
export async function answerRequest(c: RequestCase, lang: string): Promise<void> {
  const query = new URLSearchParams({ format: 'html', lang: lang === 'de' ? 'de' : 'en', request: c.id });
  const blob = await apiBlob(`/api/admin/contacts/${encodeURIComponent(c.contactId)}/export?${query.toString()}`);
  saveBlob(blob, `auskunft-${c.id.slice(0, 8)}.html`);
}
