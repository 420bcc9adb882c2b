import { useCallback, useEffect, useState } from 'react';
import { api, asApiError, type ApiError } from './api';

export type Loaded<T> =
  { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: ApiError };

const LOADING = { status: 'loading' } as const;

/**
 * GETs `path` (null waits). An answer is kept with the request it belongs to, so a page never shows the
 * data of the previous path while the next one loads, and answers nobody wants any more are dropped.
 */
export function useApi<T>(path: string | null): Loaded<T> & { reload: () => void } {
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${tick}:${path}`;
  const [result, setResult] = useState<{ key: string; value: Loaded<T> } | null>(null);

  useEffect(() => {
    if (path === null || key === null) return;
    const ctrl = new AbortController();
    api.get<T>(path, ctrl.signal).then(
      (data) => setResult({ key, value: { status: 'ok', data } }),
      (err: unknown) => {
        if (!ctrl.signal.aborted) setResult({ key, value: { status: 'error', error: asApiError(err) } });
      },
    );
    return () => ctrl.abort();
  }, [path, key]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const value: Loaded<T> = result && result.key === key ? result.value : LOADING;
  return { ...value, reload };
}
