import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { JudgingEntry, JudgingList } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { loadList, openJudgeDb, saveList, type JudgeDb } from './db';
import { ScoreSync, type SyncSnapshot } from './outbox';

type Judging = {
  contestId: string;
  /** The work list: the server's when it answered, else the copy kept on the device. */
  list: JudgingList | null;
  listFrom: 'server' | 'device' | null;
  /** The last failed attempt to read the list from the server. */
  listError: ApiError | null;
  /** The device storage could not be opened (private mode, storage blocked). */
  storageError: boolean;
  reloadList: () => void;
  /** Reads one work from the server and takes in its score (when online). */
  refreshEntry: (entryId: string) => void;
  sync: ScoreSync | null;
  snap: SyncSnapshot;
  online: boolean;
};

const EMPTY: SyncSnapshot = {
  scores: new Map(),
  pending: new Set(),
  hold: null,
  retryAt: null,
  sending: false,
  confirmedAt: null,
};
const noSubscribe = () => () => undefined;
const emptySnapshot = () => EMPTY;

const JudgingContext = createContext<Judging | null>(null);

const browserOnline = () => (typeof navigator === 'undefined' ? true : navigator.onLine);

/**
 * The judge's data for one contest: the device first (list and scores from IndexedDB), then the server.
 * The outbox is flushed on start, when the browser comes back online and when the tab is shown again.
 */
export function JudgingProvider({
  userId,
  contestId,
  children,
}: {
  userId: string;
  contestId: string;
  children: ReactNode;
}) {
  const [db, setDb] = useState<JudgeDb | null>(null);
  const [sync, setSync] = useState<ScoreSync | null>(null);
  const [list, setList] = useState<{ data: JudgingList; from: 'server' | 'device' } | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [storageError, setStorageError] = useState(false);
  const [online, setOnline] = useState(browserOnline);
  const [tick, setTick] = useState(0);
  const syncRef = useRef<ScoreSync | null>(null);

  useEffect(() => {
    let live = true;
    let opened: JudgeDb | null = null;
    let engine: ScoreSync | null = null;
    void (async () => {
      try {
        opened = await openJudgeDb(userId);
        engine = await ScoreSync.open({ db: opened, contestId });
      } catch {
        if (live) setStorageError(true);
        return;
      }
      if (!live) {
        engine.close();
        opened.close();
        return;
      }
      const stored = await loadList(opened, contestId);
      if (stored) setList((cur) => cur ?? { data: stored.list, from: 'device' });
      syncRef.current = engine;
      setDb(opened);
      setSync(engine);
      void engine.flush(); // whatever an earlier visit left unsent
    })();
    return () => {
      live = false;
      engine?.close();
      opened?.close();
      syncRef.current = null;
    };
  }, [userId, contestId]);

  // The server's list, once the device's copy is shown; kept on the device for the next start offline.
  useEffect(() => {
    if (!db || !sync) return;
    const ctrl = new AbortController();
    api.get<JudgingList>(`/contests/${seg(contestId)}/judging`, ctrl.signal).then(
      async (data) => {
        await sync.adoptServer(data.items.map((i) => ({ entryId: i.entryId, score: i.score })));
        await saveList(db, data);
        if (ctrl.signal.aborted) return;
        setList({ data, from: 'server' });
        setListError(null);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setListError(asApiError(err));
      },
    );
    return () => ctrl.abort();
  }, [db, sync, contestId, tick]);

  useEffect(() => {
    const goOnline = () => {
      setOnline(true);
      void syncRef.current?.wake();
      setTick((n) => n + 1);
    };
    const goOffline = () => setOnline(false);
    const shown = () => {
      if (document.visibilityState !== 'visible' || !syncRef.current) return;
      const s = syncRef.current;
      void s.reload().then(() => s.flush());
    };
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    document.addEventListener('visibilitychange', shown);
    return () => {
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
      document.removeEventListener('visibilitychange', shown);
    };
  }, []);

  const snap = useSyncExternalStore(
    sync?.subscribe ?? noSubscribe,
    sync?.getSnapshot ?? emptySnapshot,
    emptySnapshot,
  );

  // A request that reached the server says more about the connection than navigator.onLine does.
  const reachable = online && snap.hold !== 'offline';

  const reloadList = useCallback(() => setTick((n) => n + 1), []);
  const refreshEntry = useCallback(
    (entryId: string) => {
      if (!sync) return;
      api
        .get<JudgingEntry>(`/contests/${seg(contestId)}/judging/entries/${seg(entryId)}`)
        .then((e) => sync.adoptServer([{ entryId, score: e.score }]))
        .catch(() => undefined); // offline: the device's copy stands
    },
    [sync, contestId],
  );

  const value: Judging = {
    contestId,
    list: list?.data ?? null,
    listFrom: list?.from ?? null,
    listError,
    storageError,
    reloadList,
    refreshEntry,
    sync,
    snap,
    online: reachable,
  };
  return <JudgingContext.Provider value={value}>{children}</JudgingContext.Provider>;
}

export function useJudging(): Judging {
  const ctx = useContext(JudgingContext);
  if (!ctx) throw new Error('useJudging outside JudgingProvider');
  return ctx;
}
