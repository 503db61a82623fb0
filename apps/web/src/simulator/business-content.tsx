import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { FileIcon, PinIcon } from './icons';
import type { BusinessContent } from './message-view';
import { RichText } from './rich-text';

type Content<K extends BusinessContent['kind']> = Extract<BusinessContent, { kind: K }>;

/** The inside of a business bubble for every kind of message; the tappable actions are rendered by the bubble. */
export function BusinessContentView({ content }: { content: BusinessContent }): ReactNode {
  switch (content.kind) {
    case 'text':
      return <RichText text={content.text} />;
    case 'buttons':
    case 'list':
    case 'cta-url':
      return <FramedText content={content} />;
    case 'media':
      return <MediaCard content={content} />;
    case 'template':
      return <TemplateCard content={content} />;
    case 'location':
      return <LocationCard content={content} />;
    case 'contacts':
      return <ContactsCard content={content} />;
    case 'reaction':
      return <Reacted emoji={content.emoji} />;
    case 'unknown':
      return <UnknownCard content={content} />;
  }
}

function FramedText({ content }: { content: Content<'buttons' | 'list' | 'cta-url'> }): ReactNode {
  return (
    <>
      {content.header ? <strong className="bubble__header">{content.header}</strong> : null}
      <RichText text={content.body} />
      {content.footer ? <small className="bubble__footer">{content.footer}</small> : null}
    </>
  );
}

function MediaCard({ content }: { content: Content<'media'> }): ReactNode {
  const t = useT();
  return (
    <div className={`media media--${content.mediaType}`}>
      {content.previewSrc ? (
        <img className="media__image" src={content.previewSrc} alt={content.caption ?? t(`msg.${content.mediaType}`)} />
      ) : (
        <div className="media__placeholder">
          <FileIcon className="media__icon" />
          <span className="media__kind">{t(`msg.${content.mediaType}`)}</span>
          {content.filename ? <span className="media__filename">{content.filename}</span> : null}
        </div>
      )}
      {content.previewSrc && content.filename ? <span className="media__filename">{content.filename}</span> : null}
      {content.caption ? <RichText text={content.caption} /> : null}
      {!content.previewSrc && content.link ? (
        <small className="media__source">
          <RichText text={content.link} />
        </small>
      ) : null}
      {!content.link && content.mediaId ? <small className="media__source">{t('msg.mediaId', { id: content.mediaId })}</small> : null}
    </div>
  );
}

function TemplateCard({ content }: { content: Content<'template'> }): ReactNode {
  const t = useT();
  return (
    <div className="template">
      <span className="template__label">{t('msg.template')}</span>
      <strong className="template__name">
        {content.name}
        {content.language ? <span className="template__language"> ({content.language})</span> : null}
      </strong>
      {content.params.length > 0 ? (
        <ul className="template__params">
          {content.params.map((param, index) => (
            <li key={index}>{param}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function LocationCard({ content }: { content: Content<'location'> }): ReactNode {
  const t = useT();
  const { latitude, longitude } = content;
  const hasPoint = latitude !== undefined && longitude !== undefined;
  return (
    <div className="location">
      <PinIcon className="location__icon" />
      <div>
        <strong>{content.name ?? t('msg.location')}</strong>
        {content.address ? <div>{content.address}</div> : null}
        {hasPoint ? (
          <small>
            {latitude.toFixed(5)}, {longitude.toFixed(5)} ·{' '}
            <a href={osmLink(latitude, longitude)} target="_blank" rel="noopener noreferrer">
              {t('msg.openMap')}
            </a>
          </small>
        ) : null}
      </div>
    </div>
  );
}

function ContactsCard({ content }: { content: Content<'contacts'> }): ReactNode {
  const t = useT();
  return (
    <ul className="contacts" aria-label={t('msg.contacts')}>
      {content.contacts.map((contact, index) => (
        <li key={index}>
          <strong>{contact.name}</strong>
          {contact.phones.map((phone) => (
            <div key={phone}>{phone}</div>
          ))}
        </li>
      ))}
    </ul>
  );
}

function Reacted({ emoji }: { emoji: string }): ReactNode {
  const t = useT();
  return <span className="muted">{t('msg.reacted', { emoji })}</span>;
}

function UnknownCard({ content }: { content: Content<'unknown'> }): ReactNode {
  const t = useT();
  return (
    <>
      <em className="muted">{t('msg.unknown', { type: content.type })}</em>
      {content.text ? <RichText text={content.text} /> : null}
    </>
  );
}

function osmLink(latitude: number, longitude: number): string {
  const query = new URLSearchParams({ mlat: latitude.toFixed(6), mlon: longitude.toFixed(6) });
  return `https://www.openstreetmap.org/?${query.toString()}#map=16/${latitude.toFixed(6)}/${longitude.toFixed(6)}`;
}
