import { GraphError, invalidParam, missingParam } from './errors.js';
import { isRecord } from './http.js';
import { validateMediaObject, type MediaRef } from './media-refs.js';

// Limits from providers.md §2.4 (reply buttons) and §2.5 (lists).
const BUTTON_BODY_MAX = 1024;
// UNCONFIRMED (§8 item 9): list bodies allow 4096 per the Jun 2026 docs.
const LIST_BODY_MAX = 4096;
const HEADER_TEXT_MAX = 60;
const FOOTER_MAX = 60;
const BUTTON_TITLE_MAX = 20;
const BUTTON_ID_MAX = 256;
const LIST_BUTTON_MAX = 20;
const SECTION_TITLE_MAX = 24;
const ROW_ID_MAX = 200;
const ROW_TITLE_MAX = 24;
const ROW_DESCRIPTION_MAX = 72;
const MAX_ROWS = 10;
const MAX_SECTIONS = 10;

/**
 * Validates an `interactive` object of type `button` or `list` against the documented limits and
 * returns the media referenced by its header. Errors are 131008 (missing) / 131009 (limits) with the
 * observed `details` strings where the spec has them (§2.4, §2.5).
 */
export function validateInteractive(interactive: Record<string, unknown>): MediaRef[] {
  const type = interactive.type;
  if (type === undefined) {
    throw missingParam("interactive['type']");
  }
  if (type !== 'button' && type !== 'list') {
    throw invalidParam(`Interactive type ${String(type)} is not supported by the fake (button, list).`);
  }
  const body = interactive.body;
  if (!isRecord(body) || body.text === undefined) {
    throw missingParam("interactive['body']['text']");
  }
  const bodyMax = type === 'button' ? BUTTON_BODY_MAX : LIST_BODY_MAX;
  checkText(body.text, 1, bodyMax, `Body text length invalid. Min length: 1, Max length: ${bodyMax}`);
  if (interactive.footer !== undefined) {
    const footer = interactive.footer;
    if (!isRecord(footer)) {
      throw invalidParam("Parameter interactive['footer'] must be an object.");
    }
    checkText(footer.text, 1, FOOTER_MAX, `Footer text length invalid. Min length: 1, Max length: ${FOOTER_MAX}`);
  }
  const media = interactive.header === undefined ? [] : validateHeader(interactive.header, type);
  const action = interactive.action;
  if (!isRecord(action)) {
    throw missingParam("interactive['action']");
  }
  if (type === 'button') {
    validateButtons(action);
  } else {
    validateList(action);
  }
  return media;
}

function checkText(value: unknown, min: number, max: number, details: string): void {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw invalidParam(details);
  }
}

function validateHeader(header: unknown, interactiveType: 'button' | 'list'): MediaRef[] {
  if (!isRecord(header) || typeof header.type !== 'string') {
    throw missingParam("interactive['header']['type']");
  }
  if (header.type === 'text') {
    checkText(header.text, 1, HEADER_TEXT_MAX, `Header text length invalid. Min length: 1, Max length: ${HEADER_TEXT_MAX}`);
    return [];
  }
  // List headers are text-only (§2.5); button headers may carry image/video/document (§2.4).
  if (interactiveType === 'list' || !['image', 'video', 'document'].includes(header.type)) {
    throw invalidParam(`Header type ${header.type} is not supported for interactive ${interactiveType} messages.`);
  }
  const kind = header.type === 'image' ? 'image' : header.type === 'video' ? 'video' : 'document';
  const media = header[kind];
  if (!isRecord(media)) {
    throw missingParam(`interactive['header']['${kind}']`);
  }
  return [validateMediaObject(kind, media, `interactive['header']['${kind}']`)];
}

function validateButtons(action: Record<string, unknown>): void {
  const buttons = action.buttons;
  if (!Array.isArray(buttons)) {
    throw missingParam("interactive['action']['buttons']");
  }
  if (buttons.length < 1 || buttons.length > 3) {
    throw invalidParam('Buttons count invalid. Min: 1, Max: 3');
  }
  const ids = new Set<string>();
  const titles = new Set<string>();
  for (const button of buttons as unknown[]) {
    if (!isRecord(button) || button.type !== 'reply' || !isRecord(button.reply)) {
      throw invalidParam('Button type invalid. Each button must be {"type":"reply","reply":{"id","title"}}');
    }
    const { id, title } = button.reply;
    if (typeof id !== 'string' || id.length < 1 || id.length > BUTTON_ID_MAX) {
      throw invalidParam(`Button id length invalid. Min length: 1, Max length: ${BUTTON_ID_MAX}`);
    }
    // Observed details string (client evidence, §2.4).
    checkText(title, 1, BUTTON_TITLE_MAX, `Button title length invalid. Min length: 1, Max length: ${BUTTON_TITLE_MAX}`);
    if (ids.has(id)) {
      throw invalidParam('Duplicate button id. Button ids must be unique.');
    }
    if (titles.has(String(title))) {
      throw invalidParam('Duplicate button title. Button titles must be unique.');
    }
    ids.add(id);
    titles.add(String(title));
  }
}

function validateList(action: Record<string, unknown>): void {
  if (action.button === undefined) {
    throw missingParam("interactive['action']['button']");
  }
  checkText(action.button, 1, LIST_BUTTON_MAX, `Button title length invalid. Min length: 1, Max length: ${LIST_BUTTON_MAX}`);
  const sections = action.sections;
  if (!Array.isArray(sections)) {
    throw missingParam("interactive['action']['sections']");
  }
  if (sections.length < 1 || sections.length > MAX_SECTIONS) {
    throw invalidParam(`Sections count invalid. Min: 1, Max: ${MAX_SECTIONS}`);
  }
  const rowIds = new Set<string>();
  let rowCount = 0;
  for (const section of sections as unknown[]) {
    if (!isRecord(section) || !Array.isArray(section.rows)) {
      throw missingParam("interactive['action']['sections'][]['rows']");
    }
    // UNCONFIRMED (§8 item 9): the title may be omitted when there is only one section.
    if (section.title !== undefined || sections.length > 1) {
      checkText(section.title, 1, SECTION_TITLE_MAX, `Section title is too long. Max length is ${SECTION_TITLE_MAX}`);
    }
    rowCount += section.rows.length;
    if (rowCount > MAX_ROWS) {
      // Observed details string (client evidence, §2.5).
      throw invalidParam(`Total row count exceed max allowed count: ${MAX_ROWS}`);
    }
    for (const row of section.rows as unknown[]) {
      validateRow(row, rowIds);
    }
  }
  if (rowCount === 0) {
    throw invalidParam('Total row count invalid. Min: 1');
  }
}

function validateRow(row: unknown, rowIds: Set<string>): void {
  if (!isRecord(row)) {
    throw new GraphError(131009, 'Each row must be an object.');
  }
  if (typeof row.id !== 'string' || row.id.length < 1 || row.id.length > ROW_ID_MAX) {
    throw invalidParam(`Row id length invalid. Min length: 1, Max length: ${ROW_ID_MAX}`);
  }
  if (rowIds.has(row.id)) {
    throw invalidParam('Duplicate row id. Row ids must be unique.');
  }
  rowIds.add(row.id);
  if (typeof row.title !== 'string' || row.title.length < 1) {
    throw missingParam("interactive['action']['sections'][]['rows'][]['title']");
  }
  // Observed details string (client evidence, §2.5).
  checkText(row.title, 1, ROW_TITLE_MAX, `Row title is too long. Max length is ${ROW_TITLE_MAX}`);
  if (row.description !== undefined) {
    checkText(row.description, 0, ROW_DESCRIPTION_MAX, `Row description is too long. Max length is ${ROW_DESCRIPTION_MAX}`);
  }
}
