import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Scoreboard, ScoreboardEntry } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { useLanguage, type Language } from '../i18n';
import { localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import './scoreboard.css';

/** How often the venue screen asks again; the server computes it live and never caches it. */
const REFRESH_MS = 5_000;

type Board = { data: Scoreboard | null; error: ApiError | null; at: number | null };

/** Polls the board; the last good answer stays on screen through failed refreshes. */
function useScoreboard(contestId: string): Board {
  const [board, setBoard] = useState<Board>({ data: null, error: null, at: null });
  useEffect(() => {
    let ctrl: AbortController | null = null;
    const load = () => {
      ctrl?.abort();
      const mine = (ctrl = new AbortController());
      api.get<Scoreboard>(`/public/contests/${seg(contestId)}/scoreboard`, mine.signal).then(
        (data) => setBoard({ data, error: null, at: Date.now() }),
        (err: unknown) => {
          if (mine.signal.aborted) return;
          const error = asApiError(err);
          // Switched off (404) clears the board; a network blip keeps it.
          setBoard((b) => ({
            ...b,
            data: error.status === 404 || error.status === 403 ? null : b.data,
            error,
          }));
        },
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      clearInterval(timer);
      ctrl?.abort();
    };
  }, [contestId]);
  return board;
}

const fixed1 = (n: number, lng: Language) =>
  n.toLocaleString(lng === 'en' ? 'en' : 'zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Places within a station: equal totals share a place (1, 2, 2, 4); no total, no place. */
function places(entries: ScoreboardEntry[]): (number | null)[] {
  return entries.map((e, i) => {
    if (e.total === null) return null;
    const first = entries.findIndex((x) => x.total !== null && Math.abs(x.total - e.total!) < 1e-9);
    return first === -1 ? i + 1 : first + 1;
  });
}

/**
 * /scoreboard/:contestId: the venue's projector. Stations side by side, entries best first, provisional
 * totals from the counted measurements; the judges' part says "pending" until the organizer releases it.
 */
export function ScoreboardPage() {
  const { t } = useTranslation('public');
  const lng = useLanguage();
  const contestId = useParams().contestId ?? '';
  const { data, error, at } = useScoreboard(contestId);
  usePageTitle(data ? `${data.contest.name} · ${t('scoreboard.title')}` : t('scoreboard.title'));

  // The projector page is dark from edge to edge, not only inside the board.
  useEffect(() => {
    document.documentElement.classList.add('scoreboard-page');
    return () => document.documentElement.classList.remove('scoreboard-page');
  }, []);

  if (!data) {
    const off = error && (error.status === 404 || error.status === 403 || error.status === 400);
    return (
      <main className="board board-message" id="main">
        <h1>{t('scoreboard.title')}</h1>
        <p role={error ? 'alert' : 'status'}>
          {off ? t('scoreboard.off') : error ? t('scoreboard.unreachable') : t('scoreboard.loading')}
        </p>
        {off && <p className="board-muted">{t('scoreboard.offHint')}</p>}
      </main>
    );
  }

  const measured = data.criteria.filter((c) => c.kind === 'measurement');
  const time = at ? new Date(at).toLocaleTimeString(lng === 'en' ? 'en-GB' : 'zh-CN', { hour12: false }) : '';
  return (
    <main className="board" id="main">
      <header className="board-head">
        <div>
          <h1>{data.contest.name}</h1>
          <p className="board-sub">
            <span className="board-badge">{t('scoreboard.provisional')}</span>
            {data.judgementReleased ? t('scoreboard.released') : t('scoreboard.pendingNote')}
          </p>
        </div>
        <div className="board-clock">
          <p>{t('scoreboard.updated', { time })}</p>
          {/* Always in the layout, so a failed refresh does not push the board down. */}
          <p className={`board-stale${error ? '' : ' board-hidden'}`} role="status">
            {error ? t('scoreboard.stale') : ' '}
          </p>
        </div>
      </header>

      {data.stations.length === 0 ? (
        <p className="board-muted board-empty">{t('scoreboard.noEntries')}</p>
      ) : (
        <div className="board-stations">
          {data.stations.map((s) => {
            const place = places(s.entries);
            const title = s.name ? localized(s.name, lng) : t('scoreboard.noStation');
            return (
              <section key={s.id ?? '-'} className="board-station" aria-label={title}>
                <h2>{title}</h2>
                <table className="board-table">
                  <thead>
                    <tr>
                      <th scope="col" className="board-place">
                        {t('scoreboard.place')}
                      </th>
                      <th scope="col" className="board-code">
                        {t('scoreboard.code')}
                      </th>
                      {measured.map((c) => (
                        <th scope="col" key={c.id} className="board-num">
                          {localized(c.name, lng)}
                        </th>
                      ))}
                      <th scope="col" className="board-num">
                        {t('scoreboard.judged')}
                      </th>
                      <th scope="col" className="board-num board-total">
                        {t('scoreboard.total')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.entries.map((e, i) => (
                      <tr key={e.code}>
                        <td className="board-place">{place[i] ?? '—'}</td>
                        <th scope="row" className="board-code">
                          {e.code}
                          {e.teacherName && <span className="board-teacher">{e.teacherName}</span>}
                          {measured.length > 0 && (
                            <span className="board-counted">
                              {t('scoreboard.counted', { counted: e.counted, total: measured.length })}
                            </span>
                          )}
                        </th>
                        {measured.map((c) => {
                          const p = e.points[c.id];
                          return (
                            <td key={c.id} className="board-num">
                              {p === null || p === undefined ? (
                                <span className="board-muted">—</span>
                              ) : (
                                fixed1(p, lng)
                              )}
                            </td>
                          );
                        })}
                        <td className="board-num">
                          {!data.judgementReleased ? (
                            <span className="board-pending">{t('scoreboard.pending')}</span>
                          ) : e.judged === null || e.judged === undefined ? (
                            <span className="board-muted">—</span>
                          ) : (
                            fixed1(e.judged, lng)
                          )}
                        </td>
                        <td className="board-num board-total">
                          {e.total === null ? <span className="board-muted">—</span> : fixed1(e.total, lng)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
        </div>
      )}
      <p className="board-foot board-muted">{t('scoreboard.footnote')}</p>
    </main>
  );
}
