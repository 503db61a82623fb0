import type { ReactNode } from 'react';
import { useT } from '../i18n';
import type { ListSection, ReplyOption } from './message-view';
import { Sheet } from './sheet';

type Props = { title: string; sections: ListSection[]; onPick: (row: ReplyOption) => void; onClose: () => void };

/** The rows of a list message; tapping one sends it as a `list_reply`. */
export function ListSheet({ title, sections, onPick, onClose }: Props): ReactNode {
  const t = useT();
  return (
    <Sheet title={title || t('list.title')} onClose={onClose} testId="list-sheet">
      {sections.map((section, sectionIndex) => (
        <section key={sectionIndex} className="list-section">
          {section.title ? <h3 className="list-section__title">{section.title}</h3> : null}
          <ul className="list-section__rows">
            {section.rows.map((row) => (
              <li key={row.id}>
                <button type="button" className="list-row" data-testid="list-row" onClick={() => onPick(row)}>
                  <span className="list-row__title">{row.title}</span>
                  {row.description ? <small className="list-row__description">{row.description}</small> : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Sheet>
  );
}
