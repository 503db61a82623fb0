import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '../i18n';
import { describeApiError, resolveSelection, versionLabel, type FlowSelection } from './flow-view';
import { startSimulatorRun, type SimulatorUser } from './simulator-api';
import type { FlowCatalogState } from './use-flow-catalog';

type Props = {
  user: SimulatorUser;
  catalog: FlowCatalogState;
  /** Called once the server accepted the start, so the run state is loaded again at once. */
  onStarted: () => void;
};

type StartState = { phase: 'idle' } | { phase: 'starting' } | { phase: 'started'; text: string } | { phase: 'failed'; text: string };

/** Picks a flow and one of its versions (drafts included) and starts it in the simulated user's conversation. */
export function FlowPicker({ user, catalog, onStarted }: Props): ReactNode {
  const t = useT();
  const ids = { flow: useId(), version: useId(), hint: useId() };
  const [chosen, setChosen] = useState<Partial<FlowSelection> & { flowId: string }>();
  const [start, setStart] = useState<StartState>({ phase: 'idle' });

  if (catalog.status === 'loading') {
    return <p className="muted">{t('state.loading')}</p>;
  }
  if (catalog.status === 'error') {
    return (
      <div className="inline-notice inline-notice--error" role="alert" data-testid="flow-list-error">
        <p>
          {t('flows.loadFailed')} {describeApiError(catalog.error, t)}
        </p>
        <button type="button" className="button button--quiet" onClick={catalog.reload}>
          {t('action.retry')}
        </button>
      </div>
    );
  }
  const { flows } = catalog;
  const selection = resolveSelection(flows, chosen);
  const flow = flows.find((candidate) => candidate.id === selection?.flowId);
  if (!selection || !flow) {
    return <p className="muted">{t('flows.none')}</p>;
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setStart({ phase: 'starting' });
    startSimulatorRun(user, selection)
      .then(() => {
        setStart({ phase: 'started', text: t('flows.started', { flow: flow.name ?? flow.id, version: selection.version }) });
        onStarted();
      })
      .catch((error: unknown) => setStart({ phase: 'failed', text: describeApiError(error, t) }));
  };

  return (
    <form className="form flow-picker" onSubmit={onSubmit} data-testid="flow-picker">
      <div className="flow-picker__fields">
        <div className="field">
          <label htmlFor={ids.flow}>{t('flows.flow')}</label>
          <select
            id={ids.flow}
            data-testid="flow-select"
            value={selection.flowId}
            onChange={(event) => {
              setChosen({ flowId: event.target.value });
              setStart({ phase: 'idle' });
            }}
          >
            {flows.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name ? `${candidate.id} — ${candidate.name}` : candidate.id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.version}>{t('flows.version')}</label>
          <select
            id={ids.version}
            data-testid="flow-version-select"
            aria-describedby={ids.hint}
            value={selection.version}
            onChange={(event) => {
              setChosen({ flowId: selection.flowId, version: Number(event.target.value) });
              setStart({ phase: 'idle' });
            }}
          >
            {flow.versions.map((version) => (
              <option key={version.version} value={version.version}>
                {versionLabel(version, t)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p id={ids.hint} className="field__hint">
        {t('flows.liveHint')}
      </p>
      <div className="flow-picker__actions">
        <button type="submit" className="button" data-testid="flow-start" disabled={start.phase === 'starting'}>
          {start.phase === 'starting' ? t('flows.starting') : t('flows.start')}
        </button>
        <button type="button" className="link-button" onClick={catalog.reload}>
          {t('flows.reload')}
        </button>
      </div>
      {start.phase === 'failed' ? (
        <p className="inline-notice inline-notice--error" role="alert" data-testid="flow-start-error">
          {start.text}
        </p>
      ) : null}
      {/* A region that is always there, so screen readers announce the confirmation when it appears. */}
      <div aria-live="polite">
        {start.phase === 'started' ? (
          <p className="inline-notice" data-testid="flow-started">
            {start.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
