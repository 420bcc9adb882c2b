import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import type { ContestForMember, Rubric } from '@pingxuan/shared';
import { seg } from '../api';
import { SCHOOL_PAGES } from './schoolScope';
import { useLive } from './useLive';
// The overview page (main chunk) shows this bar too, so its styles must come with it.
import './organize.css';

/** The organizer's pages of one contest; the current one is marked for screen readers (aria-current). */
export function OrganizeNav({
  contestId,
  contest,
  school = null,
}: {
  contestId: string;
  /** With the contest, pages that only some contests need are linked when they apply. */
  contest?: Pick<ContestForMember, 'rounds' | 'currentRoundId'>;
  /** A school organizer's school: only the pages they may use are linked. */
  school?: string | null;
}) {
  const { t } = useTranslation('organize');
  const base = `/contests/${seg(contestId)}`;
  const round = contest?.currentRoundId ?? null;
  // School organizers may not read the rubric; their pages do not depend on it.
  const rubric = useLive<Rubric>(round && school === null ? `${base}/rounds/${seg(round)}/rubric` : null);
  const measured = rubric.data?.criteria.some((c) => c.kind === 'measurement') ?? false;
  // The rubric may have just been saved with a measurement criterion: read it again on every page change.
  const { pathname } = useLocation();
  const seen = useRef(pathname);
  const { refresh } = rubric;
  useEffect(() => {
    if (seen.current === pathname) return;
    seen.current = pathname;
    refresh();
  }, [pathname, refresh]);
  const hasRounds = contest !== undefined && contest.rounds.length > 1;
  const all = [
    { to: base, label: t('nav.overview'), end: true },
    { to: `${base}/settings`, label: t('nav.settings'), end: false },
    { to: `${base}/rubric`, label: t('nav.rubric'), end: false },
    { to: `${base}/entries`, label: t('nav.entries'), end: true },
    { to: `${base}/judges`, label: t('nav.judges'), end: false },
    { to: `${base}/members`, label: t('nav.members'), end: false },
    { to: `${base}/assignments`, label: t('nav.assignments'), end: false },
    ...(measured ? [{ to: `${base}/measurements`, label: t('nav.measurements'), end: false }] : []),
    { to: `${base}/progress`, label: t('nav.progress'), end: false },
    { to: `${base}/results`, label: t('nav.results'), end: false },
    // Linked in every contest of several rounds: after the last advancement its record is still read there.
    ...(hasRounds ? [{ to: `${base}/advancement`, label: t('nav.advancement'), end: false }] : []),
    { to: `${base}/entries/import`, label: t('nav.import'), end: false },
    { to: `${base}/audit`, label: t('nav.audit'), end: false },
  ];
  const allowed = new Set<string>(SCHOOL_PAGES.map((p) => `${base}/${p}`));
  const links = school === null ? all : all.filter((l) => allowed.has(l.to));
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
