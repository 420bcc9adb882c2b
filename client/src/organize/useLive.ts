import { useCallback, useEffect, useState } from 'react';
import { api, asApiError, type ApiError } from '../api';

type Answer<T> = { path: string; data: T | null; error: ApiError | null; at: Date | null };

export type Live<T> = {
  /** The last good answer for this path; kept while a refresh runs or fails. */
  data: T | null;
  /** The last refresh failed (data, if any, is older). */
  error: ApiError | null;
  updatedAt: Date | null;
  refreshing: boolean;
  /** Auto-refresh is waiting because the tab is hidden. */
  paused: boolean;
  /** With `keep`: the data shown belongs to the previous path while the new one loads. */
  stale: boolean;
  refresh: () => void;
};

const tabHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/**
 * GETs `path` and, with `everyMs`, again after each answer, while the tab is visible. Unlike useApi it
 * keeps showing the previous answer during a refresh, so a board that refreshes does not flicker; with
 * `keep` also while another path (the next page of a table) loads.
 */
export function useLive<T>(path: string | null, everyMs?: number, keep = false): Live<T> {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const [nonce, setNonce] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const [hidden, setHidden] = useState(tabHidden);

  useEffect(() => {
    if (path === null) return;
    let ctrl: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      if (everyMs && !tabHidden()) timer = setTimeout(load, everyMs);
    };
    function load() {
      clearTimeout(timer);
      ctrl?.abort();
      const c = (ctrl = new AbortController());
      api.get<T>(path!, c.signal).then(
        (data) => {
          setAnswer({ path: path!, data, error: null, at: new Date() });
          setRefreshing(false);
          schedule();
        },
        (err: unknown) => {
          if (c.signal.aborted) return;
          setAnswer((prev) => ({
            path: path!,
            data: prev?.path === path ? prev.data : null,
            error: asApiError(err),
            at: prev?.path === path ? prev.at : null,
          }));
          setRefreshing(false);
          schedule();
        },
      );
    }
    // A hidden tab stops asking; coming back asks at once, then keeps the rhythm.
    const onVisibility = () => {
      setHidden(tabHidden());
      if (!everyMs) return;
      if (tabHidden()) clearTimeout(timer);
      else load();
    };
    load();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(timer);
      ctrl?.abort();
    };
  }, [path, everyMs, nonce]);

  const refresh = useCallback(() => {
    setRefreshing(true);
    setNonce((n) => n + 1);
  }, []);

  const mine = answer && answer.path === path ? answer : null;
  const shown = mine ?? (keep ? answer : null);
  return {
    data: shown?.data ?? null,
    stale: shown !== null && shown !== mine,
    error: mine?.error ?? null,
    updatedAt: shown?.at ?? null,
    refreshing,
    paused: Boolean(everyMs) && hidden,
    refresh,
  };
}
