import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { ContestForMember, RecordingCell, RecordingList, RecordingWrite } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { newest, newKey, parseValue, replacedValue } from './recording';

/** The sheet is read again this often, so the other recorder's readings show up (pending → agreed). */
const REFRESH_MS = 20_000;

/**
 * A value the recorder typed and has not seen counted yet. It stays (with the version it was typed
 * against) until the server has taken it or the recorder drops it: a failed save is never lost.
 */
export type Draft = {
  text: string;
  baseVersion: number;
  /** Sent with every retry of the same value and base, so a save that did arrive is not applied twice. */
  key: string | null;
  phase: 'editing' | 'saving' | 'failed' | 'invalid' | 'conflict' | 'refused';
  /** invalid: the server's field message (null: not a number, said by the client). */
  fieldMessage?: string | null;
  /** failed / refused: what went wrong. */
  error?: ApiError;
  /** conflict: the cell as the server has it now. */
  current?: RecordingCell;
  /** Already sent again once on a newer version by itself (see send). */
  rebased?: boolean;
};

type Sheet = { list: RecordingList; contest: ContestForMember | null };
type LoadState =
  { status: 'loading' } | { status: 'ok'; sheet: Sheet } | { status: 'error'; error: ApiError };

type Recording = {
  contestId: string;
  state: LoadState;
  /** A refresh that failed while the sheet is shown (the sheet stays). */
  refreshError: ApiError | null;
  reload: () => void;
  drafts: ReadonlyMap<string, Draft>;
  edit: (entryId: string, criterionId: string, text: string) => void;
  save: (entryId: string, criterionId: string) => Promise<void>;
  /** After a 409: send this recorder's value again on top of what the server has now. */
  keepMine: (entryId: string, criterionId: string) => Promise<void>;
  discard: (entryId: string, criterionId: string) => void;
};

const RecordingContext = createContext<Recording | null>(null);

export const cellKey = (entryId: string, criterionId: string) => `${entryId}/${criterionId}`;

function withCell(list: RecordingList, entryId: string, criterionId: string, cell: RecordingCell) {
  return {
    ...list,
    entries: list.entries.map((e) =>
      e.entryId === entryId ? { ...e, cells: { ...e.cells, [criterionId]: cell } } : e,
    ),
  };
}

function versionIn(s: LoadState, entryId: string, criterionId: string): number {
  if (s.status !== 'ok') return 0;
  return s.sheet.list.entries.find((e) => e.entryId === entryId)?.cells[criterionId]?.version ?? 0;
}

const cellOf = (w: RecordingWrite): RecordingCell => ({
  status: w.status,
  version: w.version,
  own: w.own,
  value: w.value,
});

export function RecordingProvider({ contestId, children }: { contestId: string; children: ReactNode }) {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [refreshError, setRefreshError] = useState<ApiError | null>(null);
  const [drafts, setDrafts] = useState<Map<string, Draft>>(() => new Map());
  const [tick, setTick] = useState(0);
  // Read inside async saves, which must see the latest drafts and sheet, not the ones of their render.
  const draftsRef = useRef(drafts);
  const stateRef = useRef(state);
  useEffect(() => {
    draftsRef.current = drafts;
    stateRef.current = state;
  });

  useEffect(() => {
    const ctrl = new AbortController();
    const base = `/contests/${seg(contestId)}`;
    Promise.all([
      api.get<RecordingList>(`${base}/recording`, ctrl.signal),
      // Only for the stations' names; the sheet works without them.
      api.get<ContestForMember>(base, ctrl.signal).catch(() => null),
    ]).then(
      ([list, contest]) => {
        setState((s) => ({
          status: 'ok',
          sheet: { list: s.status === 'ok' ? newest(s.sheet.list, list) : list, contest },
        }));
        setRefreshError(null);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        const error = asApiError(err);
        // A sheet on screen stays on screen; the failed refresh is said above it.
        setState((s) => (s.status === 'ok' ? s : { status: 'error', error }));
        setRefreshError(error);
      },
    );
    return () => ctrl.abort();
  }, [contestId, tick]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const reload = useCallback(() => setTick((n) => n + 1), []);

  const setDraft = useCallback((k: string, next: Draft | null) => {
    setDrafts((m) => {
      const copy = new Map(m);
      if (next) copy.set(k, next);
      else copy.delete(k);
      draftsRef.current = copy;
      return copy;
    });
  }, []);

  const setCell = useCallback((entryId: string, criterionId: string, cell: RecordingCell) => {
    setState((s) => {
      const next: LoadState =
        s.status === 'ok'
          ? { status: 'ok', sheet: { ...s.sheet, list: withCell(s.sheet.list, entryId, criterionId, cell) } }
          : s;
      stateRef.current = next;
      return next;
    });
  }, []);

  const edit = useCallback(
    (entryId: string, criterionId: string, text: string) => {
      const k = cellKey(entryId, criterionId);
      const old = draftsRef.current.get(k);
      // Typed against the version on screen when editing began; a change meanwhile is a 409, not an overwrite.
      const baseVersion =
        old?.phase === 'conflict' && old.current
          ? old.current.version // the recorder has seen the server's value and types over it
          : (old?.baseVersion ?? versionIn(stateRef.current, entryId, criterionId));
      setDraft(k, { text, baseVersion, key: null, phase: 'editing' });
    },
    [setDraft],
  );

  const send = useCallback(
    async function attempt(entryId: string, criterionId: string, draft: Draft): Promise<void> {
      const k = cellKey(entryId, criterionId);
      const value = parseValue(draft.text);
      if (value === null) {
        setDraft(k, { ...draft, phase: 'invalid', fieldMessage: null });
        return;
      }
      const key = draft.key ?? newKey();
      const sending: Draft = { ...draft, key, phase: 'saving' };
      setDraft(k, sending);
      try {
        const written = await api.put<RecordingWrite>(
          `/contests/${seg(contestId)}/measurements/${seg(entryId)}/${seg(criterionId)}`,
          { value, baseVersion: draft.baseVersion },
          { 'idempotency-key': key },
        );
        setCell(entryId, criterionId, cellOf(written));
        // Typed again while this was on its way: keep the newer text, against the new version.
        const now = draftsRef.current.get(k);
        if (now && now.text !== draft.text)
          setDraft(k, { ...now, baseVersion: written.version, key: null, phase: 'editing' });
        else setDraft(k, null);
      } catch (err) {
        const error = asApiError(err);
        const current = error.details.current as RecordingCell | undefined;
        if (current && typeof current.version === 'number') setCell(entryId, criterionId, current);
        if (error.status === 409 && error.code === 'conflict' && current) {
          const s = stateRef.current;
          const theirs = replacedValue(current, s.status === 'ok' && s.sheet.list.doubleEntry);
          // Nothing of anyone's would be overwritten (another recorder's blind reading moved the version):
          // send again on the new version, once. The same value already there: it is saved.
          if (theirs === null && !draft.rebased)
            return attempt(entryId, criterionId, {
              ...draft,
              baseVersion: current.version,
              key: null,
              rebased: true,
            });
          if (theirs === value) setDraft(k, null);
          else setDraft(k, { ...sending, key: null, phase: 'conflict', current });
        } else if (error.status === 409) setDraft(k, { ...sending, key: null, phase: 'refused', error });
        else if (error.status === 400 && error.fieldMessage('value'))
          setDraft(k, {
            ...sending,
            key: null,
            phase: 'invalid',
            fieldMessage: error.fieldMessage('value')!,
          });
        // Network, time-out, 5xx: the same key on retry, so a save that did arrive is answered, not doubled.
        else setDraft(k, { ...sending, key: error.status === 422 ? null : key, phase: 'failed', error });
      }
    },
    [contestId, setCell, setDraft],
  );

  const save = useCallback(
    async (entryId: string, criterionId: string) => {
      const draft = draftsRef.current.get(cellKey(entryId, criterionId));
      if (draft && draft.phase !== 'saving') await send(entryId, criterionId, draft);
    },
    [send],
  );

  const keepMine = useCallback(
    async (entryId: string, criterionId: string) => {
      const draft = draftsRef.current.get(cellKey(entryId, criterionId));
      if (!draft?.current) return;
      await send(entryId, criterionId, { ...draft, baseVersion: draft.current.version, key: null });
    },
    [send],
  );

  const discard = useCallback(
    (entryId: string, criterionId: string) => setDraft(cellKey(entryId, criterionId), null),
    [setDraft],
  );

  // Leaving with values not taken by the server: the browser asks first.
  const unsaved = [...drafts.values()].some((d) => d.phase !== 'editing' || d.text.trim() !== '');
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  const value = useMemo<Recording>(
    () => ({ contestId, state, refreshError, reload, drafts, edit, save, keepMine, discard }),
    [contestId, state, refreshError, reload, drafts, edit, save, keepMine, discard],
  );
  return <RecordingContext.Provider value={value}>{children}</RecordingContext.Provider>;
}

export function useRecording(): Recording {
  const r = useContext(RecordingContext);
  if (!r) throw new Error('useRecording outside RecordingProvider');
  return r;
}
