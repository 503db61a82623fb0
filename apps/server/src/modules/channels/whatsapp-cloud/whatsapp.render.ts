/**
 * Renders channel-neutral content into WhatsApp Cloud API send bodies (providers.md §2.2–§2.8),
 * degrading by capability: ≤ 3 short options → reply buttons, ≤ 10 → a list, more → numbered text.
 */
import type { MenuOption, OutboundContent, TemplateParameter } from '@parley/contracts';
import type { RenderContext } from '../channel.port.js';

export const WHATSAPP_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  listRowTitle: 24,
  listRowDescription: 72,
  listButton: 20,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  text: 4096,
} as const;

const NUMBER_HINT: Record<string, string> = {
  de: 'Antworten Sie mit der Nummer.',
  en: 'Reply with the number.',
};
const LIST_BUTTON: Record<string, string> = { de: 'Auswählen', en: 'Choose' };

type Body = Record<string, unknown>;

export function renderWhatsApp(content: OutboundContent, ctx: RenderContext): Body[] {
  const base: Body = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: ctx.to,
    ...(ctx.callbackData ? { biz_opaque_callback_data: ctx.callbackData } : {}),
  };
  const quoted = ctx.replyToProviderId ? { context: { message_id: ctx.replyToProviderId } } : {};
  switch (content.type) {
    case 'text':
      return [{ ...base, ...quoted, type: 'text', text: { body: content.text, preview_url: content.previewUrl ?? false } }];
    case 'menu':
      return [{ ...base, ...quoted, ...renderMenu(content, ctx.language) }];
    case 'media': {
      const media: Body = content.mediaId ? { id: content.mediaId } : { link: content.link };
      if (content.caption && content.mediaType !== 'audio' && content.mediaType !== 'sticker') {
        media.caption = content.caption;
      }
      if (content.filename && content.mediaType === 'document') {
        media.filename = content.filename;
      }
      return [{ ...base, ...quoted, type: content.mediaType, [content.mediaType]: media }];
    }
    case 'template':
      return [{ ...base, type: 'template', template: renderTemplate(content) }];
    case 'reaction':
      // Reactions cannot carry a context (§2.7).
      return [{ ...base, type: 'reaction', reaction: { message_id: content.targetProviderId, emoji: content.emoji } }];
    case 'location':
      return [
        {
          ...base,
          ...quoted,
          type: 'location',
          location: { latitude: content.latitude, longitude: content.longitude, ...(content.name ? { name: content.name } : {}), ...(content.address ? { address: content.address } : {}) },
        },
      ];
    default: {
      const never: never = content;
      throw new Error(`cannot render ${JSON.stringify(never)}`);
    }
  }
}

function renderMenu(menu: Extract<OutboundContent, { type: 'menu' }>, language: string): Body {
  const L = WHATSAPP_LIMITS;
  const fitsButtons = menu.options.length <= L.buttons && menu.options.every((o) => o.title.length <= L.buttonTitle) && menu.body.length <= L.interactiveBody;
  const decoration = {
    ...(menu.header ? { header: { type: 'text', text: clip(menu.header, L.header) } } : {}),
    ...(menu.footer ? { footer: { text: clip(menu.footer, L.footer) } } : {}),
  };
  if (fitsButtons) {
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        ...decoration,
        body: { text: menu.body },
        action: { buttons: menu.options.map((o) => ({ type: 'reply', reply: { id: o.id, title: o.title } })) },
      },
    };
  }
  if (menu.options.length <= L.listRows && menu.body.length <= L.interactiveBody) {
    return {
      type: 'interactive',
      interactive: {
        type: 'list',
        ...decoration,
        body: { text: menu.body },
        action: {
          button: clip(menu.button ?? LIST_BUTTON[language] ?? LIST_BUTTON.en ?? 'Choose', L.listButton),
          sections: [{ title: clip(menu.header ?? menu.button ?? 'Menu', 24), rows: menu.options.map(toRow) }],
        },
      },
    };
  }
  return { type: 'text', text: { body: numberedText(menu.body, menu.options, language), preview_url: false } };
}

/** The text fallback for menus a channel cannot show as buttons or a list; numbers map back to options. */
export function numberedText(body: string, options: MenuOption[], language: string): string {
  const lines = options.map((o, i) => `${i + 1}. ${o.title}`);
  return clip(`${body}\n\n${lines.join('\n')}\n\n${NUMBER_HINT[language] ?? NUMBER_HINT.en}`, WHATSAPP_LIMITS.text);
}

function toRow(o: MenuOption): Body {
  const L = WHATSAPP_LIMITS;
  // A title longer than a row allows moves its rest into the description rather than losing it.
  const title = clip(o.title, L.listRowTitle);
  const description = o.description ?? (o.title.length > L.listRowTitle ? o.title : undefined);
  return { id: o.id, title, ...(description ? { description: clip(description, L.listRowDescription) } : {}) };
}

function renderTemplate(t: Extract<OutboundContent, { type: 'template' }>): Body {
  const components: Body[] = [];
  if (t.header?.length) {
    components.push({ type: 'header', parameters: t.header.map(toParameter) });
  }
  if (t.body?.length) {
    components.push({ type: 'body', parameters: t.body.map(toParameter) });
  }
  for (const b of t.buttons ?? []) {
    const parameter = b.subType === 'quick_reply' ? { type: 'payload', payload: b.value } : b.subType === 'url' ? { type: 'text', text: b.value } : { type: 'coupon_code', coupon_code: b.value };
    components.push({ type: 'button', sub_type: b.subType, index: String(b.index), parameters: [parameter] });
  }
  return { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) };
}

function toParameter(p: TemplateParameter): Body {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text, ...(p.name ? { parameter_name: p.name } : {}) };
    case 'currency':
      return { type: 'currency', currency: { fallback_value: p.fallback, code: p.code, amount_1000: p.amount1000 } };
    case 'date_time':
      return { type: 'date_time', date_time: { fallback_value: p.fallback } };
    default:
      return { type: p.type, [p.type]: p.mediaId ? { id: p.mediaId } : { link: p.link } };
  }
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
