import { describe, expect, it } from 'vitest';
import { parseDemoConfig, parseDemoEventType, parseSentMessages } from './demo-api';

describe('parseDemoConfig', () => {
  it('reads the demo channels and user', () => {
    const config = parseDemoConfig({
      demo: true,
      channels: [{ slug: 'demo-whatsapp', name: 'Parley Demo', phoneNumberId: '100000000000001', displayPhoneNumber: '4930123456789' }],
      user: { waId: '491701234567', name: 'Demo User' },
    });
    expect(config).toEqual({
      demo: true,
      channels: [{ slug: 'demo-whatsapp', name: 'Parley Demo', phoneNumberId: '100000000000001', displayPhoneNumber: '4930123456789' }],
      user: { waId: '491701234567', name: 'Demo User' },
    });
  });

  it('treats anything but demo: true as switched off', () => {
    expect(parseDemoConfig({ demo: false, channels: [] })).toEqual({ demo: false, channels: [] });
    expect(parseDemoConfig('nope')).toEqual({ demo: false, channels: [] });
  });

  it('drops channels without a phone number id', () => {
    expect(parseDemoConfig({ demo: true, channels: [{ slug: 'x' }] }).channels).toEqual([]);
  });
});

describe('parseSentMessages', () => {
  it('keeps well-formed messages and drops entries without an id', () => {
    const messages = parseSentMessages({
      messages: [
        {
          id: 'wamid.B1',
          phoneNumberId: '1',
          to: '49',
          type: 'text',
          body: { type: 'text', text: { body: 'Hi' } },
          status: 'failed',
          statuses: [{ status: 'failed', at: 2, errorCode: 131047 }, { at: 3 }],
          errorCode: 131047,
          createdAt: 1,
        },
        { type: 'text' },
      ],
    });
    expect(messages).toEqual([
      {
        id: 'wamid.B1',
        phoneNumberId: '1',
        to: '49',
        type: 'text',
        body: { type: 'text', text: { body: 'Hi' } },
        status: 'failed',
        statuses: [{ status: 'failed', at: 2, errorCode: 131047 }],
        errorCode: 131047,
        createdAt: 1,
      },
    ]);
  });

  it('returns nothing for a malformed response', () => {
    expect(parseSentMessages(null)).toEqual([]);
    expect(parseSentMessages({ messages: 'x' })).toEqual([]);
  });
});

describe('parseDemoEventType', () => {
  it('reads the event type and ignores junk', () => {
    expect(parseDemoEventType('{"type":"status","at":1,"data":{}}')).toBe('status');
    expect(parseDemoEventType('{"type":"other"}')).toBeUndefined();
    expect(parseDemoEventType('not json')).toBeUndefined();
  });
});
