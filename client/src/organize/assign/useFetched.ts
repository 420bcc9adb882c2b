import { useCallback, useEffect, useState } from 'react';
import { api, asApiError, type ApiError } from '../../api';

type Answer<T> = { key: string; data: T | null; error: ApiError | null };

export type Fetched<T> = {
  /** The answer for this path and version, null while it loads or when it failed. */
  data: T | null;
  /** The last answer of any path or version: shown, dimmed, while the next one loads. */
  latest: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

/**
 * GETs `path` (null waits) again whenever `version` changes, so a section reads fresh data after another
 * section of the page changed the assignments.
 */
export function useFetched<T>(path: string | null, version = 0): Fetched<T> {
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${version}:${tick}:${path}`;
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const [good, setGood] = useState<T | null>(null);

  useEffect(() => {
    if (path === null || key === null) return;
    const ctrl = new AbortController();
    api.get<T>(path, ctrl.signal).then(
      (data) => {
        setAnswer({ key, data, error: null });
        setGood(data);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setAnswer({ key, data: null, error: asApiError(err) });
      },
    );
    return () => ctrl.abort();
  }, [path, key]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const mine = answer && answer.key === key ? answer : null;
  return {
    data: mine?.data ?? null,
    latest: mine?.data ?? good,
    error: mine?.error ?? null,
    loading: key !== null && mine === null,
    reload,
  };
}
