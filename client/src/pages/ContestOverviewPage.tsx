import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import type { ContestForMember, EntryList, JudgeList, Panel, Rubric } from '@pingxuan/shared';
import { seg } from '../api';
import { ErrorNotice, Loading, StatusBadge } from '../components/Status';
import { useLanguage } from '../i18n';
import { OrganizeNav } from '../organize/OrganizeNav';
import { schoolScopeOf } from '../organize/schoolScope';
import { formatNumber, formatPercent, localized } from '../localized';
import { useSession } from '../session';
import { useApi, type Loaded } from '../useApi';
import { usePageTitle } from '../usePageTitle';

/** The contest as GET /contests/:id returns it; `currentRoundId` appears once multi-round judging lands. */
type ContestView = ContestForMember & { currentRoundId?: string | null };

export function ContestOverviewPage() {
  const { t } = useTranslation();
  const lng = useLanguage();
  const { me } = useSession();
  const contestId = useParams().contestId ?? '';
  const base = `/contests/${seg(contestId)}`;
  const contest = useApi<ContestView>(base);
  const organizes = contest.status === 'ok' && (me?.isAdmin || contest.data.roles.includes('organizer'));

  const judges = useApi<JudgeList>(organizes ? `${base}/judges` : null);
  const panels = useApi<{ panels: Panel[] }>(organizes ? `${base}/panels` : null);
  const entries = useApi<EntryList>(organizes ? `${base}/entries?limit=1` : null);
  const roundId =
    contest.status === 'ok' ? (contest.data.currentRoundId ?? contest.data.rounds[0]?.id ?? null) : null;
  usePageTitle(contest.status === 'ok' ? contest.data.name : t('contests.title'));
  const rubric = useApi<Rubric>(organizes && roundId ? `${base}/rounds/${seg(roundId)}/rubric` : null);

  if (contest.status === 'loading') return <Loading />;
  if (contest.status === 'error') {
    const e = contest.error;
    return (
      <>
        <BackLink />
        <ErrorNotice
          error={e}
          message={e.status === 404 || e.status === 400 ? t('overview.notFound') : undefined}
          onRetry={e.status === 404 || e.status === 403 ? undefined : contest.reload}
        />
      </>
    );
  }
  const c = contest.data;
  // A school organizer's contest starts at their school's entries.
  if (schoolScopeOf(c, me?.isAdmin) !== null) return <Navigate to={`${base}/entries`} replace />;
  if (!organizes) {
    return (
      <>
        <BackLink />
        <ErrorNotice message={t('overview.organizerOnly')} />
        {c.roles.includes('judge') && (
          <Link className="button button-primary" to={`/judge/${seg(c.id)}`}>
            {t('contests.judge')}
          </Link>
        )}
      </>
    );
  }

  const round = c.rounds.find((r) => r.id === roundId);
  const none = <span className="muted">{t('overview.none')}</span>;
  const names = (list: { id: string; name: { zh: string; en?: string | undefined } }[]) =>
    list.length ? list.map((x) => localized(x.name, lng)).join(t('common.listSeparator')) : none;

  return (
    <article aria-labelledby="contest-title">
      <BackLink />
      <div className="page-head">
        <h1 id="contest-title">{c.name}</h1>
        <StatusBadge status={c.status} />
      </div>
      <OrganizeNav contestId={c.id} contest={c} />
      {c.description && <p className="description">{c.description}</p>}

      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title" className="visually-hidden">
          {t('overview.counts')}
        </h2>
        <dl className="facts">
          <div>
            <dt>{t('overview.status')}</dt>
            <dd>{t(`status.${c.status}`)}</dd>
          </div>
          <div>
            <dt>{t('overview.rounds')}</dt>
            <dd>
              <ol className="inline-list">
                {c.rounds.map((r) => (
                  <li key={r.id} aria-current={r.id === roundId ? 'step' : undefined}>
                    {localized(r.name, lng)}
                    {r.id === roundId && c.rounds.length > 1 && (
                      <span className="tag">{t('overview.currentRound')}</span>
                    )}
                  </li>
                ))}
              </ol>
            </dd>
          </div>
          <div>
            <dt>{t('overview.categories')}</dt>
            <dd>{names(c.categories)}</dd>
          </div>
          <div>
            <dt>{t('overview.subjects')}</dt>
            <dd>{names(c.subjects)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="counts-title">
        <h2 id="counts-title">{t('overview.counts')}</h2>
        <div className="stats">
          <Stat
            label={t('overview.entries')}
            loaded={entries}
            value={(d) => d.total}
            detail={(d) => t('overview.entriesDetail', d.counts)}
          />
          <Stat
            label={t('overview.judges')}
            loaded={judges}
            value={(d) => d.counts.active}
            detail={(d) => t('overview.judgesDetail', d.counts)}
          />
          <Stat label={t('overview.panels')} loaded={panels} value={(d) => d.panels.length} />
        </div>
      </section>

      <section aria-labelledby="rubric-title">
        <h2 id="rubric-title">
          {t('overview.rubricTitle', { round: round ? localized(round.name, lng) : (roundId ?? '') })}
        </h2>
        {rubric.status === 'loading' && <Loading />}
        {rubric.status === 'error' &&
          (rubric.error.status === 404 ? (
            <p className="empty">{t('overview.rubricNone')}</p>
          ) : (
            <ErrorNotice error={rubric.error} onRetry={rubric.reload} />
          ))}
        {rubric.status === 'ok' && <RubricTable rubric={rubric.data} />}
      </section>
    </article>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <p className="back">
      <Link to="/contests">{t('overview.back')}</Link>
    </p>
  );
}

function Stat<T>({
  label,
  loaded,
  value,
  detail,
}: {
  label: string;
  loaded: Loaded<T>;
  value: (d: T) => number;
  detail?: (d: T) => string;
}) {
  const { t } = useTranslation();
  const lng = useLanguage();
  return (
    <div className="stat card" aria-busy={loaded.status === 'loading'}>
      <div className="stat-label">{label}</div>
      {loaded.status === 'ok' ? (
        <>
          <div className="stat-value">{formatNumber(value(loaded.data), lng)}</div>
          {detail && <div className="stat-detail">{detail(loaded.data)}</div>}
        </>
      ) : loaded.status === 'loading' ? (
        <div className="stat-value muted">{t('app.loading')}</div>
      ) : (
        // A feature still being built answers 404: say "not yet" rather than show an error.
        <div className="stat-detail muted">{t('overview.notAvailable')}</div>
      )}
    </div>
  );
}

function RubricTable({ rubric }: { rubric: Rubric }) {
  const { t } = useTranslation();
  const lng = useLanguage();
  const sum = rubric.weightSum || rubric.criteria.reduce((s, c) => s + c.weight, 0);
  return (
    <div className="card table-wrap">
      {rubric.frozen && <p className="tag">{t('overview.rubricFrozen')}</p>}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('overview.criterion')}</th>
            <th scope="col" className="num">
              {t('overview.weight')}
            </th>
            <th scope="col" className="num">
              {t('overview.weightShare')}
            </th>
            <th scope="col" className="num">
              {t('overview.maxScore')}
            </th>
            <th scope="col" className="num">
              {t('overview.step')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rubric.criteria.map((c) => {
            const description = localized({ zh: c.description.zh || '', en: c.description.en }, lng);
            return (
              <tr key={c.id}>
                <th scope="row">
                  <div>{localized(c.name, lng)}</div>
                  {description && <div className="criterion-description">{description}</div>}
                </th>
                <td className="num">{formatNumber(c.weight, lng)}</td>
                <td className="num">{sum > 0 ? formatPercent(c.weight / sum, lng) : ''}</td>
                <td className="num">{formatNumber(c.maxScore, lng)}</td>
                <td className="num">{formatNumber(c.step, lng)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('overview.weightSum')}</th>
            <td className="num">{formatNumber(sum, lng)}</td>
            <td className="num" colSpan={3} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
