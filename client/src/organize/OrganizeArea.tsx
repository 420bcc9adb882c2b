import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, Route, Routes, useParams } from 'react-router';
import type { ContestForMember } from '@pingxuan/shared';
import { seg } from '../api';
import { ErrorNotice, Loading, StatusBadge } from '../components/Status';
import { NotFoundPage } from '../pages/NotFoundPage';
import { useSession } from '../session';
import { AdvancementPage } from './AdvancementPage';
import { AssignmentsPage } from './AssignmentsPage';
import { AuditPage } from './AuditPage';
import { EntriesPage } from './EntriesPage';
import { JudgesPage } from './JudgesPage';
import { MeasurementsPage } from './MeasurementsPage';
import { MembersPage } from './MembersPage';
import { RubricPage } from './RubricPage';
import { SettingsPage } from './SettingsPage';
import { OrganizeContext, useOrganize } from './context';
import { schoolScopeOf } from './schoolScope';
import { ImportPage } from './ImportPage';
import { OrganizeNav } from './OrganizeNav';
import { ProgressPage } from './ProgressPage';
import { ResultsPage } from './ResultsPage';
import { StatusActions } from './StatusActions';
import { useLive } from './useLive';
import './organize.css';

/** The organizer's console under /contests/:contestId/… (the overview itself is /contests/:contestId). */
export function OrganizeArea() {
  return (
    <Routes>
      <Route element={<OrganizeLayout />}>
        <Route path="entries" element={<EntriesPage />} />
        <Route path="results" element={<ResultsPage />} />
        <Route path="entries/import" element={<ImportPage />} />
        {/* A school organizer may use the three pages above (SCHOOL_PAGES), not these. */}
        <Route element={<OrganizersOnly />}>
          <Route path="settings" element={<SettingsPage />} />
          <Route path="rubric" element={<RubricPage />} />
          <Route path="judges" element={<JudgesPage />} />
          <Route path="assignments" element={<AssignmentsPage />} />
          <Route path="progress" element={<ProgressPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="measurements" element={<MeasurementsPage />} />
          <Route path="advancement" element={<AdvancementPage />} />
        </Route>
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

/** Pages only a contest's organizers may use: a school organizer who follows a link here is told so. */
function OrganizersOnly() {
  const { t } = useTranslation('organize');
  const { school } = useOrganize();
  return school === null ? <Outlet /> : <ErrorNotice message={t('school.organizersOnly')} />;
}

/** The contest's name, status and next step above every organizer page, then the page itself. */
function OrganizeLayout() {
  const { t } = useTranslation('organize');
  const { t: tc } = useTranslation();
  const { me } = useSession();
  const contestId = useParams().contestId ?? '';
  const live = useLive<ContestForMember>(`/contests/${seg(contestId)}`);
  const contest = live.data;
  const value = useMemo(
    () =>
      contest ? { contest, reloadContest: live.refresh, school: schoolScopeOf(contest, me?.isAdmin) } : null,
    [contest, live.refresh, me?.isAdmin],
  );

  if (!value) {
    if (!live.error) return <Loading />;
    const e = live.error;
    return (
      <>
        <p className="back">
          <Link to="/contests">{tc('overview.back')}</Link>
        </p>
        <ErrorNotice
          error={e}
          message={e.status === 404 || e.status === 400 ? tc('overview.notFound') : undefined}
          onRetry={e.status === 404 || e.status === 403 ? undefined : live.refresh}
        />
      </>
    );
  }
  const c = value.contest;
  const { school } = value;
  if (!me?.isAdmin && !c.roles.includes('organizer') && school === null)
    return <ErrorNotice message={t('organizerOnly')} />;

  return (
    <OrganizeContext.Provider value={value}>
      <div className="org">
        <div className="org-head">
          <div className="org-contest">
            {school === null ? (
              <Link className="org-contest-name" to={`/contests/${seg(c.id)}`}>
                {c.name}
              </Link>
            ) : (
              <span className="org-contest-name">{c.name}</span>
            )}
            <StatusBadge status={c.status} />
          </div>
          {school === null ? (
            <StatusActions />
          ) : (
            <p className="org-school" data-testid="school-scope">
              {t('school.scope', { school })}
            </p>
          )}
        </div>
        {live.error && <ErrorNotice error={live.error} onRetry={live.refresh} />}
        <OrganizeNav contestId={c.id} contest={c} school={school} />
        <Outlet />
      </div>
    </OrganizeContext.Provider>
  );
}
