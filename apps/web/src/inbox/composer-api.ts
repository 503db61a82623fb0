/**
 * The agent's side of a conversation (docs/inbox.md "Replying"): what the composer may offer now, replies (free
 * text, templates, library items, canned answers), internal notes, the pickers and the contact panel. Shapes are the
 * contracts' (packages/contracts/src/inbox.ts), imported as types only.
 */
import type { AgentSendResult, CannedAnswerView, ComposerState, ContactPanel, LibraryEntry, TemplateFormParams } from '@parley/contracts';
import { apiRequest } from '../auth/api-client';

export type {
  AgentSendResult,
  AgentSentMessage,
  CannedAnswerView,
  ComposerNotice,
  ComposerState,
  ComposerTemplate,
  ContactConsent,
  LibraryEntry,
  TemplateField,
  TemplateFormParams,
} from '@parley/contracts';

/** `GET /api/inbox/conversations/:id/contact` (the contracts' `ContactPanel`; the name is the component's here). */
export type ContactPanelData = ContactPanel;

/** What the composer sends (`AgentMessageBody`; the purpose is the server's default, `service`). */
export type AgentMessage =
  | { kind: 'text'; text: string }
  | { kind: 'template'; name: string; language: string; params: TemplateFormParams }
  | { kind: 'item'; itemId: string; language?: string }
  | { kind: 'canned'; id: string; language?: string };

const conversationPath = (id: string) => `/api/inbox/conversations/${encodeURIComponent(id)}`;

export async function getComposerState(conversationId: string, signal?: AbortSignal): Promise<ComposerState> {
  return apiRequest<ComposerState>('GET', `${conversationPath(conversationId)}/composer`, undefined, { signal });
}

/**
 * Sends a reply through the outbound pipeline. A refusal of the send gate is an ApiError whose code is the reason
 * (`send.window_closed`, `send.no_consent` …); a message the gate blocked later shows as `blocked` in the history.
 */
export async function sendAgentMessage(conversationId: string, message: AgentMessage): Promise<AgentSendResult> {
  return apiRequest<AgentSendResult>('POST', `${conversationPath(conversationId)}/messages`, message);
}

/** Adds an internal note (never sent to the contact). */
export async function addNote(conversationId: string, text: string): Promise<void> {
  await apiRequest<unknown>('POST', `${conversationPath(conversationId)}/notes`, { text });
}

export async function searchLibrary(q: string, lang: string, signal?: AbortSignal): Promise<LibraryEntry[]> {
  return (await apiRequest<{ items: LibraryEntry[] }>('GET', `/api/inbox/library?${pickerParams(q, lang)}`, undefined, { signal })).items;
}

export async function searchCanned(q: string, lang: string, signal?: AbortSignal): Promise<CannedAnswerView[]> {
  return (await apiRequest<{ answers: CannedAnswerView[] }>('GET', `/api/inbox/canned?${pickerParams(q, lang)}`, undefined, { signal })).answers;
}

export async function getContactPanel(conversationId: string, signal?: AbortSignal): Promise<ContactPanelData> {
  return apiRequest<ContactPanelData>('GET', `${conversationPath(conversationId)}/contact`, undefined, { signal });
}

function pickerParams(q: string, lang: string): string {
  const params = new URLSearchParams();
  if (q.trim()) {
    params.set('q', q.trim());
  }
  if (/^[a-z]{2,3}(-[A-Z]{2})?$/.test(lang)) {
    params.set('lang', lang);
  }
  return params.toString();
}
