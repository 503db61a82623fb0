import { useId, type ReactNode } from 'react';
import { useT } from '../i18n';
import { describeApiError, summarizeState, toAttributeRows } from './flow-view';
import type { ConversationState, RunState } from './simulator-api';
import type { SimulatorStateFeed } from './use-simulator-state';

type Props = { feed: SimulatorStateFeed };

/**
 * What the server knows about the simulated user's conversation: the flow run (flow, status, node, what it waits
 * for), the conversation's ownership and language, and the run's attributes.
 */
export function RunStatePanel({ feed }: Props): ReactNode {
  const t = useT();
  const headingId = useId();
  const { state, error } = feed;
  const conversation = state?.conversation ?? null;
  return (
    <section className="run-state" aria-labelledby={headingId} data-testid="run-state">
      <h3 id={headingId}>{t('run.title')}</h3>
      {/* One sentence that changes only when the run moves on: announced politely, never on every poll. */}
      <p className="visually-hidden" aria-live="polite" data-testid="run-summary">
        {state ? summarizeState(state, t) : ''}
      </p>
      {error ? (
        <p className="inline-notice inline-notice--error" data-testid="run-state-error">
          {t('run.refreshFailed', { error: describeApiError(error, t) })}
        </p>
      ) : null}
      {!state ? (
        error ? null : <p className="muted">{t('state.loading')}</p>
      ) : conversation ? (
        <ConversationDetails conversation={conversation} />
      ) : (
        <p className="run-state__empty" data-testid="run-state-empty">
          {t('run.empty.noConversation')}
        </p>
      )}
    </section>
  );
}

function ConversationDetails({ conversation }: { conversation: ConversationState }): ReactNode {
  const t = useT();
  const { run } = conversation;
  return (
    <>
      <dl className="facts" data-testid="run-facts">
        {run ? <RunFacts run={run} /> : null}
        <dt>{t('run.ownership')}</dt>
        <dd data-testid="run-ownership" data-value={conversation.ownership}>
          {t(`ownership.${conversation.ownership}`)}
        </dd>
        <dt>{t('run.language')}</dt>
        <dd data-testid="run-language">{conversation.language ?? '—'}</dd>
      </dl>
      {run ? (
        <AttributeTable attributes={run.attributes} />
      ) : (
        <p className="run-state__empty" data-testid="run-state-no-run">
          {t('run.empty.noRun')}
        </p>
      )}
    </>
  );
}

function RunFacts({ run }: { run: RunState }): ReactNode {
  const t = useT();
  return (
    <>
      <dt>{t('run.flow')}</dt>
      <dd data-testid="run-flow" data-flow-id={run.flowId} data-flow-version={run.flowVersion}>
        {run.flowName ? <span className="facts__name">{run.flowName}</span> : null}
        <code>
          {run.flowId} v{run.flowVersion}
        </code>
      </dd>
      <dt>{t('run.status')}</dt>
      <dd>
        <span className={`status-badge status-badge--${run.status}`} data-testid="run-status" data-value={run.status}>
          {t(`runStatus.${run.status}`)}
        </span>
      </dd>
      <dt>{t('run.node')}</dt>
      <dd data-testid="run-node" data-node-id={run.nodeId ?? ''} data-node-type={run.nodeType ?? ''}>
        {run.nodeId ? <code>{run.nodeId}</code> : '—'}
        {run.nodeType ? <span className="node-type">{run.nodeType}</span> : null}
      </dd>
      <dt>{t('run.waiting')}</dt>
      <dd data-testid="run-waiting" data-value={run.waiting ?? ''}>
        {t(run.waiting ? `waiting.${run.waiting}` : 'waiting.none')}
      </dd>
    </>
  );
}

function AttributeTable({ attributes }: { attributes: Record<string, unknown> }): ReactNode {
  const t = useT();
  const captionId = useId();
  const rows = toAttributeRows(attributes);
  return (
    <>
      <h4 id={captionId} className="run-state__subheading">
        {t('run.attributes')}
      </h4>
      {rows.length === 0 ? (
        <p className="muted" data-testid="run-attributes-empty">
          {t('run.attributesEmpty')}
        </p>
      ) : (
        <div className="attributes__scroll">
          <table className="attributes" aria-labelledby={captionId} data-testid="run-attributes">
            <thead>
              <tr>
                <th scope="col">{t('run.attributeName')}</th>
                <th scope="col">{t('run.attributeValue')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-testid="run-attribute" data-key={row.key}>
                  <th scope="row">
                    <code>{row.key}</code>
                  </th>
                  <td>
                    <code title={row.truncated ? row.full : undefined}>{row.text}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
