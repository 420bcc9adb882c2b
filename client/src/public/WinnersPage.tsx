import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage, type Language } from '../i18n';
import { formatDate } from '../localized';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { nameIn, publicPhotoUrl, type Named, type Winner, type WinnersView } from './types';

const collator = (lng: Language) => new Intl.Collator(lng === 'en' ? 'en' : 'zh-CN');

/**
 * /winners/:contestId: the published winners by tier. The whole list comes in one request (a district
 * contest has a few hundred winners at most) and is filtered here, so the school list always matches the
 * chosen category and the filters live in the address, ready to share or print.
 */
export function WinnersPage() {
  const { t } = useTranslation('public');
  const { t: tc } = useTranslation();
  const lng = useLanguage();
  const contestId = useParams().contestId ?? '';
  const [search, setSearch] = useSearchParams();
  const view = useApi<WinnersView>(`/public/contests/${seg(contestId)}/winners`);
  usePageTitle(
    view.status === 'ok' ? t('winners.pageTitle', { contest: view.data.contest.name }) : t('list.title'),
  );
  const ids = { category: useId(), school: useId(), total: useId() };

  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error') {
    const gone = view.error.status === 404 || view.error.status === 400;
    return (
      <>
        <BackLink />
        <ErrorNotice
          error={view.error}
          message={gone ? t('winners.notFound') : undefined}
          onRetry={gone ? undefined : view.reload}
        />
      </>
    );
  }

  const { contest, winners } = view.data;
  const category = search.get('category') ?? '';
  const school = search.get('school') ?? '';
  const inCategory = category ? winners.filter((w) => w.category === category) : winners;
  const schools = [...new Set(inCategory.map((w) => w.school))].sort(collator(lng).compare);
  // A school from a shared link stays selectable even when the category leaves it no winners.
  if (school && !schools.includes(school)) schools.unshift(school);
  const shown = school ? inCategory.filter((w) => w.school === school) : inCategory;
  const categoryName = (id: string | null) => {
    const c = id ? contest.categories.find((x) => x.id === id) : undefined;
    return c ? nameIn(c.name, lng) : (id ?? '');
  };
  const filtered = Boolean(category || school);
  const filterText = [category && categoryName(category), school].filter(Boolean).join(' · ');

  function setFilter(name: 'category' | 'school', value: string) {
    setSearch(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  const firstTier = contest.tiers[0];
  const hasCategories = contest.categories.length > 0;

  return (
    <article className="winners-page" aria-labelledby="winners-title">
      <BackLink />
      <p className="eyebrow">
        {t('winners.eyebrow')}
        {contest.publishedAt && (
          <span>· {t('list.publishedOn', { date: formatDate(contest.publishedAt, lng) })}</span>
        )}
      </p>
      <h1 id="winners-title">{contest.name}</h1>
      {contest.description && <p className="description public-description">{contest.description}</p>}

      <div className="winners-toolbar no-print">
        <fieldset className="winners-filters">
          <legend className="visually-hidden">{t('winners.filters')}</legend>
          {hasCategories && (
            <div className="select-field">
              <label htmlFor={ids.category}>{t('winners.category')}</label>
              <select
                id={ids.category}
                value={category}
                onChange={(e) => setFilter('category', e.target.value)}
                aria-controls={ids.total}
              >
                <option value="">{t('winners.all')}</option>
                {contest.categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {nameIn(c.name, lng)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="select-field">
            <label htmlFor={ids.school}>{t('winners.school')}</label>
            <select
              id={ids.school}
              value={school}
              onChange={(e) => setFilter('school', e.target.value)}
              aria-controls={ids.total}
            >
              <option value="">{t('winners.all')}</option>
              {schools.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          {filtered && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setSearch({}, { replace: true })}
            >
              {t('winners.clear')}
            </button>
          )}
        </fieldset>
        <div className="winners-actions">
          {firstTier && (
            <Link className="button button-primary" to={`/winners/${seg(contest.id)}/showcase`}>
              {t('winners.showcase', { tier: nameIn(firstTier.name, lng) })}
            </Link>
          )}
          <button type="button" className="button button-secondary" onClick={() => window.print()}>
            {t('winners.print')}
          </button>
        </div>
      </div>

      {filtered && <p className="print-only">{t('winners.filteredBy', { filters: filterText })}</p>}
      <p id={ids.total} className="winners-total" role="status">
        {filtered
          ? t('winners.filteredTotal', { count: shown.length, all: winners.length })
          : t('winners.total', { count: winners.length })}
      </p>

      {shown.length === 0 ? (
        <p className="empty">{t('winners.none')}</p>
      ) : (
        <>
          <nav className="tier-nav no-print" aria-label={t('winners.tierNav')}>
            <ul className="inline-list">
              {contest.tiers.map((tier) => (
                <li key={tier.id}>
                  <a href={`#tier-${tier.id}`}>
                    {nameIn(tier.name, lng)}{' '}
                    <span className="muted">
                      {t('winners.tierCount', { count: shown.filter((w) => w.tierId === tier.id).length })}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {contest.tiers.map((tier, i) => (
            <TierSection
              key={tier.id}
              contestId={contest.id}
              tier={tier}
              // The first tier's showcase has the big button above; the others get a link of their own.
              showcase={i > 0 && winners.some((w) => w.tierId === tier.id && w.photos.length > 0)}
              winners={shown.filter((w) => w.tierId === tier.id)}
              showCategory={hasCategories}
              categoryName={categoryName}
            />
          ))}
        </>
      )}
      <p className="print-only muted">{tc('app.pageTitle', { page: contest.name })}</p>
    </article>
  );
}

function TierSection({
  contestId,
  tier,
  showcase,
  winners,
  showCategory,
  categoryName,
}: {
  contestId: string;
  tier: Named;
  showcase: boolean;
  winners: Winner[];
  showCategory: boolean;
  categoryName: (id: string | null) => string;
}) {
  const { t } = useTranslation('public');
  const lng = useLanguage();
  const headingId = `tier-${tier.id}`;
  return (
    <section className="tier-section" aria-labelledby={headingId}>
      <div className="tier-head">
        <h2 id={headingId}>
          {nameIn(tier.name, lng)}{' '}
          <span className="tier-count">{t('winners.tierCount', { count: winners.length })}</span>
        </h2>
        {showcase && (
          <Link
            className="no-print"
            to={`/winners/${seg(contestId)}/showcase?tier=${encodeURIComponent(tier.id)}`}
          >
            {t('winners.showcase', { tier: nameIn(tier.name, lng) })}
          </Link>
        )}
      </div>
      {winners.length === 0 ? (
        <p className="empty">{t('winners.tierEmpty')}</p>
      ) : (
        <div className="card table-wrap">
          <table className="table winners-table">
            <thead>
              <tr>
                <th scope="col" className="winners-photo">
                  <span className="visually-hidden">{t('winners.photo')}</span>
                </th>
                <th scope="col" className="col-code">
                  {t('winners.code')}
                </th>
                <th scope="col">{t('winners.work')}</th>
                <th scope="col" className="col-teacher">
                  {t('winners.teacher')}
                </th>
                <th scope="col" className="col-school">
                  {t('winners.schoolColumn')}
                </th>
                {showCategory && (
                  <th scope="col" className="col-category">
                    {t('winners.categoryColumn')}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {winners.map((w) => {
                const photo = w.photos[0];
                return (
                  <tr key={w.entryId}>
                    <td className="winners-photo">
                      {photo ? (
                        <img
                          src={publicPhotoUrl(contestId, w.entryId, photo.id, 'thumb')}
                          width={96}
                          height={72}
                          alt={t('winners.photoAlt', { title: w.title, code: w.code })}
                          loading="lazy"
                        />
                      ) : (
                        <span className="winners-no-photo">{t('winners.noPhoto')}</span>
                      )}
                    </td>
                    <td className="winners-code">{w.code}</td>
                    <th scope="row">{w.title}</th>
                    <td>{w.teacherName}</td>
                    <td>{w.school}</td>
                    {showCategory && <td>{categoryName(w.category)}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BackLink() {
  const { t } = useTranslation('public');
  return (
    <p className="back no-print">
      <Link to="/winners">{t('winners.back')}</Link>
    </p>
  );
}
