import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { WorkState } from './outbox';
import { useJudging } from './useJudging';

/** A work's state in words, with the class that colours it. */
export function WorkStateLabel({ state, className = '' }: { state: WorkState; className?: string }) {
  const { t } = useTranslation('judge');
  return <span className={`work-state work-state-${state} ${className}`}>{t(`state.${state}`)}</span>;
}

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The whole device at a glance: how many works hold changes only this device has, whether the server can be
 * reached, and why sending waits. Announced politely to screen readers.
 */
export function SyncStatus() {
  const { t } = useTranslation('judge');
  const { snap, online, sync } = useJudging();
  const { pathname } = useLocation();
  const seconds = useSecondsUntil(snap.retryAt);
  const pending = snap.pending.size;
  const conflicts = [...snap.scores.values()].filter((s) => s.conflict).length;
  const rejected = [...snap.scores.values()].filter((s) => s.rejected && !snap.pending.has(s.entryId)).length;

  let tone: 'ok' | 'waiting' | 'offline' | 'problem' = 'ok';
  let text: string;
  if (!online || snap.hold === 'offline') {
    tone = 'offline';
    text = pending ? t('sync.offlinePending', { count: pending }) : t('sync.offline');
  } else if (snap.hold === 'server') {
    tone = 'problem';
    text = t('sync.serverDown', { count: pending, seconds: seconds ?? 0 });
  } else if (snap.hold === 'signedOut') {
    tone = 'problem';
    text = t('sync.signedOut', { count: pending });
  } else if (snap.hold === 'notJudging') {
    tone = 'problem';
    text = t('sync.notJudging', { count: pending });
  } else if (pending) {
    tone = 'waiting';
    text = snap.sending ? t('sync.sending', { count: pending }) : t('sync.pending', { count: pending });
  } else if (conflicts || rejected) {
    // Nothing waits to be sent, yet not everything on the device is on the server.
    tone = 'problem';
    text = t('sync.notAllSynced');
  } else {
    text = t('sync.allSynced');
  }

  return (
    <div className={`sync-status sync-${tone}`} role="status" aria-live="polite" data-pending={pending}>
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-text">{text}</span>
      {conflicts > 0 && <span className="sync-conflicts">{t('sync.conflicts', { count: conflicts })}</span>}
      {rejected > 0 && <span className="sync-conflicts">{t('sync.rejected', { count: rejected })}</span>}
      {snap.hold === 'signedOut' && (
        <Link className="sync-action" to={`/login?next=${encodeURIComponent(pathname)}`}>
          {t('sync.signIn')}
        </Link>
      )}
      {(snap.hold === 'server' || snap.hold === 'offline') && (
        <button type="button" className="sync-action" onClick={() => void sync?.wake()}>
          {t('sync.retryNow')}
        </button>
      )}
    </div>
  );
}
