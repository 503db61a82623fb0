/**
 * The access export as one self-contained, printable HTML page (GDPR-18), German or English headings. Every value
 * that came from a person or a provider is escaped; a Content-Security-Policy that forbids scripts, images and
 * every other fetch backs that up, so even a missed escape could not run or load anything. The consent history is
 * a section of its own that starts on a new page, and can be rendered alone (GDPR-06).
 */
import type { ConsentEntry, ContactExport, ExportedConversation, ExportedMessage } from './privacy.service.js';

export type ExportLanguage = 'de' | 'en';

/**
 * The page for `data`; `consentOnly` renders the consent history (with the identities it belongs to) alone.
 *
 * @example writeFileSync('export.html', renderContactExportHtml(data, { lang: 'de' }));
 */
export function renderContactExportHtml(data: ContactExport, opts: { lang: ExportLanguage; consentOnly?: boolean }): string {
  const t = LABELS[opts.lang];
  const title = opts.consentOnly ? t.consentTitle : t.title;
  const parts = [
    `<header><h1>${esc(title)}</h1>`,
    table([[t.contactId, data.contact.id], [t.name, data.contact.displayName], [t.workspace, `${data.workspace.name} (${data.workspace.slug})`], [t.exportedAt, data.exportedAt], [t.schema, data.schema]]),
    '</header>',
  ];
  if (opts.consentOnly) {
    parts.push(section(t.identities, identities(data, t)), consentSection(data.consentHistory, t, false));
  } else {
    parts.push(
      section(t.profile, table([[t.contactId, data.contact.id], [t.name, data.contact.displayName], [t.language, data.contact.language], [t.createdAt, data.contact.createdAt], [t.updatedAt, data.contact.updatedAt]])),
      section(t.identities, identities(data, t)),
      section(t.conversations, data.conversations.length === 0 ? none(t) : data.conversations.map((c) => conversation(c, t)).join('\n')),
      section(t.subscriptions, rows([t.topic, t.status, t.subscribedAt, t.endedAt, t.conversation], data.subscriptions.map((s) => [s.topicSlug, s.status, s.subscribedAt, s.endedAt, s.conversationId]), t)),
      consentSection(data.consentHistory, t, true),
      section(t.audit, rows([t.seq, t.time, t.action, t.object, t.actor, t.outcome], data.auditEntries.map((a) => [String(a.seq), a.at, a.action, `${a.objectType ?? ''} ${a.objectId ?? ''}`, `${a.actorKind}${a.actorId ? ` ${a.actorId}` : ''}`, a.outcome]), t)),
      section(t.about, table([[t.purposes, data.about.purposes.join(', ')], [t.channels, data.about.channelKinds.join(', ')]]) + list(t.recipients, data.about.recipients) + list(t.notIncluded, data.about.notIncluded)),
    );
  }
  return `<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – ${esc(data.contact.id)}</title>
<style>${CSS}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

const EN = {
  title: 'Personal data held about a contact (access export)', consentTitle: 'Consent history', profile: 'Contact profile',
  identities: 'Identities (channel addresses)', conversations: 'Conversations and messages', subscriptions: 'Topic subscriptions',
  consent: 'Consent history', audit: 'Audit entries about this contact', about: 'About this data', contactId: 'Contact id', name: 'Name',
  workspace: 'Workspace', exportedAt: 'Exported at', schema: 'Format', language: 'Language', createdAt: 'Created', updatedAt: 'Updated',
  kind: 'Channel kind', address: 'Address', profileName: 'Profile name', channel: 'Channel', state: 'State', lastInbound: 'Last inbound message',
  flowState: 'Flow run state', time: 'Time', direction: 'Direction', type: 'Type', content: 'Content', status: 'Status', purpose: 'Purpose',
  gateReason: 'Send decision', timeline: 'Status timeline', unanswered: 'Unanswered questions', topic: 'Topic', subscribedAt: 'Subscribed',
  endedAt: 'Ended', conversation: 'Conversation', decision: 'Decision', method: 'Method', wording: 'Wording shown', evidence: 'Evidence',
  actor: 'Actor', allChannels: 'all channels', seq: 'No.', action: 'Action', object: 'Object', outcome: 'Outcome', purposes: 'Purposes',
  channels: 'Channel kinds', recipients: 'Recipients', notIncluded: 'Not part of this export', none: 'None.', textMissing: '(text version not stored)',
  version: 'version',
};

type Labels = Record<keyof typeof EN, string>;

const DE: Labels = {
  title: 'Gespeicherte personenbezogene Daten eines Kontakts (Auskunft)', consentTitle: 'Einwilligungshistorie', profile: 'Kontaktprofil',
  identities: 'Identitäten (Kanaladressen)', conversations: 'Unterhaltungen und Nachrichten', subscriptions: 'Themen-Abonnements',
  consent: 'Einwilligungshistorie', audit: 'Audit-Einträge zu diesem Kontakt', about: 'Angaben zu diesen Daten', contactId: 'Kontakt-ID', name: 'Name',
  workspace: 'Workspace', exportedAt: 'Exportiert am', schema: 'Format', language: 'Sprache', createdAt: 'Angelegt', updatedAt: 'Geändert',
  kind: 'Kanalart', address: 'Adresse', profileName: 'Profilname', channel: 'Kanal', state: 'Status', lastInbound: 'Letzte eingehende Nachricht',
  flowState: 'Stand des Dialogablaufs', time: 'Zeit', direction: 'Richtung', type: 'Typ', content: 'Inhalt', status: 'Status', purpose: 'Zweck',
  gateReason: 'Versandentscheidung', timeline: 'Statusverlauf', unanswered: 'Unbeantwortete Fragen', topic: 'Thema', subscribedAt: 'Abonniert',
  endedAt: 'Beendet', conversation: 'Unterhaltung', decision: 'Entscheidung', method: 'Weg', wording: 'Angezeigter Wortlaut', evidence: 'Nachweis',
  actor: 'Handelnde Stelle', allChannels: 'alle Kanäle', seq: 'Nr.', action: 'Aktion', object: 'Objekt', outcome: 'Ergebnis', purposes: 'Zwecke',
  channels: 'Kanalarten', recipients: 'Empfänger', notIncluded: 'Nicht Teil dieses Exports', none: 'Keine.', textMissing: '(Textversion nicht gespeichert)',
  version: 'Version',
};

const LABELS: Record<ExportLanguage, Labels> = { en: EN, de: DE };

const CSS = `
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #999; padding-bottom: .2rem; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } pre { white-space: pre-wrap; word-break: break-word; margin: 0; font: 9pt/1.3 ui-monospace, monospace; }
td { overflow-wrap: anywhere; } .muted { color: #555; } blockquote { margin: .25rem 0; padding-left: .5rem; border-left: 3px solid #999; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section.consent { break-before: page; page-break-before: always; }
  section.consent.first { break-before: auto; page-break-before: auto; }
  tr, blockquote, pre { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}`;

function section(heading: string, body: string): string {
  return `<section><h2>${esc(heading)}</h2>\n${body}\n</section>`;
}

function consentSection(entries: ConsentEntry[], t: Labels, pageBreak: boolean): string {
  const body = entries.length === 0 ? none(t) : rows(
    [t.time, t.purpose, t.channel, t.decision, t.method, t.wording, t.evidence, t.actor],
    entries.map((e) => [
      e.at,
      e.purpose,
      e.channel ? `${e.channel.name ?? ''} (${e.channel.kind ?? ''})` : t.allChannels,
      e.decision,
      e.method,
      { html: wording(e, t) },
      { html: json(e.evidence) },
      { html: json(e.actor) },
    ]),
    t,
  );
  return `<section class="consent${pageBreak ? '' : ' first'}"><h2>${esc(t.consent)}</h2>\n${body}\n</section>`;
}

function wording(e: ConsentEntry, t: Labels): string {
  if (!e.text) {
    return '';
  }
  const head = `<div class="muted">${esc(`${e.text.slug}, ${t.version} ${e.text.version ?? '?'}, ${e.text.language ?? '?'}`)}<br>sha256 ${esc(e.text.hash ?? '')}</div>`;
  return `${head}${e.text.wording === null ? `<div>${esc(t.textMissing)}</div>` : `<blockquote>${esc(e.text.wording)}</blockquote>`}`;
}

function identities(data: ContactExport, t: Labels): string {
  return rows([t.kind, t.address, t.profileName, t.createdAt], data.identities.map((i) => [i.kind, i.address, i.profileName, i.createdAt]), t);
}

function conversation(c: ExportedConversation, t: Labels): string {
  const head = table([
    [t.channel, `${c.channel.name ?? ''} (${c.channel.kind ?? ''}, ${c.channel.slug ?? ''})`],
    [t.address, c.address],
    [t.state, c.state],
    [t.createdAt, c.createdAt],
    [t.lastInbound, c.lastInboundAt],
  ]);
  const flow = c.flowState === null ? '' : `<h4>${esc(t.flowState)}</h4>${json(c.flowState)}`;
  const messages = rows([t.time, t.direction, t.type, t.content, t.status, t.purpose, t.gateReason, t.timeline], c.messages.map((m) => messageRow(m)), t);
  const unanswered = c.unansweredQuestions.length === 0 ? '' : `<h4>${esc(t.unanswered)}</h4>${rows([t.time, t.language, t.content], c.unansweredQuestions.map((q) => [q.createdAt, q.language, q.text]), t)}`;
  return `<article><h3>${esc(t.conversation)} ${esc(c.id)}</h3>\n${head}${flow}\n${messages}${unanswered}</article>`;
}

function messageRow(m: ExportedMessage): Cell[] {
  const text = typeof m.content.text === 'string' && Object.keys(m.content).every((k) => k === 'text' || k === 'type') ? m.content.text : undefined;
  const timeline = m.statusTimeline.map((s) => `${s.occurredAt ?? s.receivedAt} ${s.status}${s.errorCode ? ` (${s.errorCode}${s.errorReason ? `: ${s.errorReason}` : ''})` : ''}`).join('\n');
  return [m.providerTimestamp ?? m.createdAt, m.direction, m.type, text === undefined ? { html: json(m.content) } : text, m.status, m.purpose, m.gateReason, { html: `<pre>${esc(timeline)}</pre>` }];
}

/** A cell: plain text (escaped here) or HTML this file built from escaped parts. */
type Cell = string | null | { html: string };

function cell(c: Cell): string {
  if (c === null) {
    return '';
  }
  return typeof c === 'string' ? esc(c) : c.html;
}

function table(pairs: Array<[string, string | null]>): string {
  return `<table>${pairs.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v ?? '')}</td></tr>`).join('')}</table>`;
}

function rows(headers: string[], body: Cell[][], t: Labels): string {
  if (body.length === 0) {
    return none(t);
  }
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
}

function list(heading: string, items: string[]): string {
  return `<h3>${esc(heading)}</h3><ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

function none(t: Labels): string {
  return `<p class="muted">${esc(t.none)}</p>`;
}

function json(value: unknown): string {
  return `<pre>${esc(JSON.stringify(value, null, 2) ?? '')}</pre>`;
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example escapeHtml('<img src=x onerror=alert(1)>') // '&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const esc = escapeHtml;
