import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { seg } from '../api';
// The overview page (main chunk) shows this bar too, so its styles must come with it.
import './organize.css';

/** The organizer's pages of one contest; the current one is marked for screen readers (aria-current). */
export function OrganizeNav({ contestId }: { contestId: string }) {
  const { t } = useTranslation('organize');
  const base = `/contests/${seg(contestId)}`;
  const links = [
    { to: base, label: t('nav.overview'), end: true },
    { to: `${base}/settings`, label: t('nav.settings'), end: false },
    { to: `${base}/rubric`, label: t('nav.rubric'), end: false },
    { to: `${base}/entries`, label: t('nav.entries'), end: true },
    { to: `${base}/judges`, label: t('nav.judges'), end: false },
    { to: `${base}/members`, label: t('nav.members'), end: false },
    { to: `${base}/assignments`, label: t('nav.assignments'), end: false },
    { to: `${base}/progress`, label: t('nav.progress'), end: false },
    { to: `${base}/results`, label: t('nav.results'), end: false },
    { to: `${base}/entries/import`, label: t('nav.import'), end: false },
    { to: `${base}/audit`, label: t('nav.audit'), end: false },
  ];
  return (
    <nav className="org-nav" aria-label={t('nav.label')}>
      <ul>
        {links.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end={l.end}>
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
