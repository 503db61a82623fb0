import { describe, expect, it } from 'vitest';
import { effectTypes, flowOf, play, said, startRun, t } from './engine.fixtures.js';

/** A realistic multi-step flow: order a printed brochure (name, postcode, confirmation). */
const brochure = flowOf({
  name: { type: 'ask', text: t('Wie ist Ihr Name?', 'What is your name?'), input: { kind: 'text', min: 2, max: 80 }, saveAs: 'name', next: 'zip' },
  zip: {
    type: 'ask',
    text: t('Ihre Postleitzahl, {{name}}?', 'Your postcode, {{name}}?'),
    input: { kind: 'code', pattern: '\\d{5}' },
    reprompt: t('Bitte geben Sie eine fünfstellige Postleitzahl ein, z. B. 10115.', 'Please enter a five-digit postcode, e.g. 10115.'),
    saveAs: 'zip',
    next: 'confirm',
  },
  confirm: { type: 'ask', text: t('Broschüre an {{name}}, {{zip}} senden?', 'Send the brochure to {{name}}, {{zip}}?'), input: { kind: 'yes_no' }, saveAs: 'confirmed', next: 'decide' },
  decide: { type: 'branch', conditions: [{ when: { attribute: 'confirmed', op: 'eq', value: true }, next: 'order' }], otherwise: 'cancelled' },
  order: {
    type: 'call',
    method: 'POST',
    url: 'https://orders.example/brochures',
    body: { name: '{{name}}', zip: '{{zip}}' },
    map: { orderId: 'id' },
    next: 'thanks',
    onError: 'sorry',
  },
  thanks: { type: 'end', text: t('Danke! Auftragsnummer {{orderId}}.', 'Thank you! Order {{orderId}}.') },
  sorry: { type: 'handoff', queue: 'service', message: t('Das hat nicht geklappt, ein Mitarbeiter meldet sich.', 'That failed; a colleague will get back to you.') },
  cancelled: { type: 'end', text: t('Alles klar, nichts bestellt.', 'Okay, nothing ordered.') },
});

describe('journey: brochure order', () => {
  it('walks through name, postcode (one typo), confirmation and the order call in German', () => {
    const s = startRun(brochure);
    expect(said(s)).toEqual(['Wie ist Ihr Name?']);
    const [name, badZip, zip, confirm] = play(brochure, s.state, ['Eva Muster', '1011', '10115', 'ja']);
    expect(said(name!)).toEqual(['Ihre Postleitzahl, Eva Muster?']);
    expect(said(badZip!)).toEqual(['Bitte geben Sie eine fünfstellige Postleitzahl ein, z. B. 10115.']);
    expect(said(zip!)).toEqual(['Broschüre an Eva Muster, 10115 senden? [Ja|Nein]']);
    expect(effectTypes(confirm!)).toEqual(['call_http']);
    const call = confirm!.effects[0];
    expect(call?.type === 'call_http' ? call.request.body : undefined).toEqual({ name: 'Eva Muster', zip: '10115' });
    const token = call?.type === 'call_http' ? call.token : '';
    const [done] = play(brochure, confirm!.state, [{ type: 'call_result', token, ok: true, status: 201, body: { id: 'B-17' } }]);
    expect(said(done!)).toEqual(['Danke! Auftragsnummer B-17.']);
    expect(done!.state.attributes).toMatchObject({ name: 'Eva Muster', zip: '10115', confirmed: true, orderId: 'B-17' });
  });

  it('hands over to a human in English when the order service fails', () => {
    const s = startRun(brochure, { language: 'en' });
    const results = play(brochure, s.state, ['Sam Smith', '10115', 'yes']);
    const call = results[2]!.effects[0];
    const token = call?.type === 'call_http' ? call.token : '';
    const [failed] = play(brochure, results[2]!.state, [{ type: 'call_result', token, ok: false, reason: 'timeout' }]);
    expect(said(failed!)).toEqual(['That failed; a colleague will get back to you.']);
    expect(failed!.state.status).toBe('handed_off');
  });

  it('orders nothing on no', () => {
    const results = play(brochure, startRun(brochure).state, ['Eva', '10115', 'nein']);
    expect(said(results[2]!)).toEqual(['Alles klar, nichts bestellt.']);
    expect(effectTypes(results[2]!)).toEqual([]);
  });
});
