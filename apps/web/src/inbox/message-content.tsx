import { useState, type MouseEvent, type ReactNode } from 'react';
import { useT } from '../i18n';
import { downloadMedia, mediaStatus } from './inbox-api';
import { mediaLabelKey, mediaProblem, toMediaView, type MediaOrigin, type MediaProblem, type MediaView } from './media-view';

/**
 * A message's content as text. Everything a contact sent — and everything Parley stored about it — is put into
 * the page as text nodes, never as HTML (issue #5 item 7): `<script>` in a WhatsApp message shows as `<script>`.
 * Media a contact sent are shown from Parley's own media route when `origin` says which message this is; all
 * other media are named, not fetched (the page loads nothing from outside under its CSP).
 */
export function MessageContent({ content, origin, templateText }: { content: Record<string, unknown>; origin?: MediaOrigin; templateText?: string | null }): ReactNode {
  const t = useT();
  const type = str(content.type) ?? 'unknown';
  switch (type) {
    case 'text':
      return <p className="hist-text">{str(content.text) ?? ''}</p>;
    case 'interactive_reply':
      return (
        <p className="hist-text hist-reply">
          <span className="hist-label">{t(content.via === 'list' ? 'inbox.hist.listReply' : 'inbox.hist.buttonReply')}</span> {str(content.title) ?? str(content.replyId) ?? ''}
        </p>
      );
    case 'menu':
      return <MenuContent content={content} />;
    case 'media':
      return <MediaContent content={content} origin={origin} />;
    case 'template':
      return <TemplateContent content={content} text={templateText ?? null} />;
    case 'location':
      return (
        <p className="hist-text">
          <span className="hist-label">{t('msg.location')}</span> {[str(content.name), str(content.address), `${num(content.latitude)}, ${num(content.longitude)}`].filter(Boolean).join(' · ')}
        </p>
      );
    case 'contacts':
      return <p className="hist-text hist-label">{`${t('msg.contacts')} (${Array.isArray(content.contacts) ? content.contacts.length : 0})`}</p>;
    case 'reaction':
      return <p className="hist-text">{str(content.emoji) ? t('msg.reacted', { emoji: str(content.emoji) ?? '' }) : t('inbox.hist.reactionRemoved')}</p>;
    case 'order':
      return (
        <p className="hist-text">
          {t('inbox.hist.order', { count: Array.isArray(content.items) ? content.items.length : 0 })}
          {str(content.text) ? ` · ${str(content.text)}` : ''}
        </p>
      );
    case 'system':
      return (
        <p className="hist-text">
          <span className="hist-label">{t('inbox.hist.whatsappNotice')}</span> {str(content.newAddress) ? t('inbox.hist.numberChanged', { number: str(content.newAddress) ?? '' }) : (str(content.body) ?? str(content.systemType) ?? '')}
        </p>
      );
    case 'unsupported':
      return <p className="hist-text hist-label">{t('inbox.hist.unsupported', { type: str(content.providerType) ?? '?' })}</p>;
    default:
      return <p className="hist-text hist-label">{t('inbox.hist.unknown', { type: str(content.providerType) ?? type })}</p>;
  }
}

function MenuContent({ content }: { content: Record<string, unknown> }): ReactNode {
  const t = useT();
  const options = Array.isArray(content.options) ? content.options.map((o) => (typeof o === 'object' && o !== null ? str((o as Record<string, unknown>).title) : undefined)).filter((o): o is string => Boolean(o)) : [];
  return (
    <div className="hist-menu">
      {str(content.header) ? <p className="hist-text hist-strong">{str(content.header)}</p> : null}
      <p className="hist-text">{str(content.body) ?? ''}</p>
      {options.length > 0 ? (
        <ul className="hist-options" aria-label={t('inbox.hist.options')}>
          {options.map((option, index) => (
            <li key={index}>{option}</li>
          ))}
        </ul>
      ) : null}
      {str(content.footer) ? <p className="hist-text hist-muted">{str(content.footer)}</p> : null}
    </div>
  );
}

function MediaContent({ content, origin }: { content: Record<string, unknown>; origin: MediaOrigin | undefined }): ReactNode {
  const t = useT();
  // WhatsApp keeps received media 7 days; after that, or when the provider fails, the route answers an error the
  // history names in words (mediaProblem), with a retry where one can help.
  const [problem, setProblem] = useState<MediaProblem | undefined>();
  const [attempt, setAttempt] = useState(0);
  const view = toMediaView(content, origin);
  const labelKey = mediaLabelKey(content.mediaType, content.voice === true);
  const label = labelKey ? t(labelKey) : (str(content.mediaType) ?? t('msg.document'));
  const caption = str(content.caption);
  const filename = str(content.filename);
  let shown: ReactNode;
  if (view.kind === 'named') {
    const source = filename ?? str(content.link);
    shown = (
      <p className="hist-text">
        <span className="hist-label">{label}</span>
        {source ? ` · ${source}` : ''}
      </p>
    );
  } else if (problem) {
    shown = (
      <p className="hist-text hist-media__gone" data-testid="media-gone">
        <span className="hist-label">{label}</span> · {t(problem.key)}
        {problem.retry ? (
          <>
            {' '}
            <button type="button" className="hist-media__retry" onClick={() => { setProblem(undefined); setAttempt((n) => n + 1); }}>
              {t('inbox.hist.mediaRetry')}
            </button>
          </>
        ) : null}
        {problem.download ? (
          <>
            {' '}
            <a className="hist-media__file" href={view.url} download={filename ?? true}>
              {t('inbox.hist.mediaDownload')}
            </a>
          </>
        ) : null}
      </p>
    );
  } else {
    const failed = (status: number) => setProblem(mediaProblem(status));
    shown = <MediaElement key={attempt} view={view} label={label} alt={caption ?? label} filename={filename} onFail={() => void mediaStatus(view.url).then(failed)} onRefused={failed} />;
  }
  return (
    <div className="hist-media" data-testid="history-media" data-media={view.kind}>
      {shown}
      {caption ? <p className="hist-text">{caption}</p> : null}
    </div>
  );
}

type LoadableView = Exclude<MediaView, { kind: 'named' }>;

/**
 * The picture, player or download link of a received file. `onFail` when the browser could not load it (the caller
 * asks the route why); `onRefused` with the route's status when a document download was refused.
 */
function MediaElement(props: { view: LoadableView; label: string; alt: string; filename: string | undefined; onFail: () => void; onRefused: (status: number) => void }): ReactNode {
  const { view, label, alt, filename, onFail, onRefused } = props;
  const t = useT();
  switch (view.kind) {
    case 'image':
      return (
        <a className={`hist-media__open${view.sticker ? ' hist-media__open--sticker' : ''}`} href={view.url} target="_blank" rel="noopener noreferrer" title={t('inbox.hist.openMedia')}>
          <img className="hist-media__img" src={view.url} alt={alt} loading="lazy" onError={onFail} />
        </a>
      );
    case 'audio':
      return <audio className="hist-media__audio" src={view.url} controls preload="none" aria-label={label} onError={onFail} />;
    case 'video':
      return <video className="hist-media__video" src={view.url} controls preload="metadata" aria-label={label} onError={onFail} />;
    case 'document': {
      // Fetched by script so that an expired file says why here, instead of a failed download in the browser's bar.
      const download = (event: MouseEvent<HTMLAnchorElement>) => {
        event.preventDefault();
        void downloadMedia(view.url, filename ?? label).then((status) => {
          if (status < 200 || status >= 300) {
            onRefused(status);
          }
        });
      };
      return (
        <p className="hist-text">
          {filename ? <span className="hist-label">{`${label} `}</span> : null}
          <a className="hist-media__file" href={view.url} download={filename ?? true} onClick={download} data-testid="media-download">
            {filename ?? label}
          </a>
        </p>
      );
    }
    default: {
      const unknown: never = view;
      return unknown;
    }
  }
}

/** A template as the contact read it when the server could fill it in (`text`), else its name and the values sent. */
function TemplateContent({ content, text }: { content: Record<string, unknown>; text: string | null }): ReactNode {
  const t = useT();
  const params = [...list(content.header), ...list(content.body)].map((p) => str(p.text) ?? str(p.fallback) ?? str(p.link) ?? '').filter(Boolean);
  return (
    <div className="hist-template">
      <p className="hist-text hist-muted">
        <span className="hist-label">{t('msg.template')}</span> {str(content.name) ?? ''} ({str(content.language) ?? ''})
      </p>
      {text ? (
        <p className="hist-text" data-testid="template-text">
          {text}
        </p>
      ) : params.length > 0 ? (
        <p className="hist-text hist-muted">{`${t('inbox.hist.templateParams')}: ${params.join(' · ')}`}</p>
      ) : null}
    </div>
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): string {
  return typeof value === 'number' ? String(value) : '?';
}

function list(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}
