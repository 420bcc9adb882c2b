import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInCodeSheetRow } from '@pingxuan/shared';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { formatDateTime } from '../format';

/** The QR code the server drew, as an image: an <img> runs nothing that might hide in the markup. */
const qrSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/**
 * Freshly issued sign-in codes as a sheet to print and cut up, one card per judge: name, panel, the QR
 * code to scan on the tablet and the code to type. Shown once — the server keeps only hashes.
 */
export function SignInSheet({
  contestName,
  rows,
  onClose,
  people = 'judges',
}: {
  contestName: string;
  rows: SignInCodeSheetRow[];
  onClose: () => void;
  /** Judges' cards (the default), or recorders' and school organizers' (the members page). */
  people?: 'judges' | 'members';
}) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const until = rows.map((r) => r.expiresAt).sort()[0];

  return (
    <section className="setup-sheet" aria-labelledby="sheet-title">
      <div className="setup-sheet-tools setup-noprint">
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('sheet.print')}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('sheet.close')}
        </button>
      </div>
      <div className="notice notice-waiting setup-noprint" role="note">
        <p>{t(people === 'judges' ? 'sheet.onceOnly' : 'sheet.membersOnceOnly')}</p>
      </div>
      <h1 id="sheet-title" ref={headingRef} tabIndex={-1}>
        {t(people === 'judges' ? 'sheet.title' : 'sheet.membersTitle', { contest: contestName })}
      </h1>
      <p className="setup-sheet-meta">
        {t(people === 'judges' ? 'sheet.meta' : 'sheet.membersMeta', {
          n: formatNumber(rows.length, lng),
          until: until ? formatDateTime(until, lng) : '—',
        })}
      </p>
      <ul className="setup-sheet-cards">
        {rows.map((r) => (
          <li key={r.judgeId} className="setup-sheet-card">
            <div className="setup-sheet-who">
              <p className="setup-sheet-name">{r.name}</p>
              <p className="setup-sheet-panel">{r.panel ?? t('sheet.noPanel')}</p>
              {r.username && (
                <p className="setup-sheet-user">{t('sheet.username', { username: r.username })}</p>
              )}
            </div>
            <img
              className="setup-sheet-qr"
              src={qrSource(r.qrSvg)}
              alt={t('sheet.qrAlt', { name: r.name })}
            />
            <div className="setup-sheet-code-box">
              <p className="setup-sheet-label">{t('sheet.codeLabel')}</p>
              <p className="setup-sheet-code">{r.code}</p>
              <p className="setup-sheet-how">{t(people === 'judges' ? 'sheet.how' : 'members.codeHow')}</p>
              <p className="setup-sheet-url">{r.url}</p>
              <p className="setup-sheet-expiry">
                {t('sheet.expires', { at: formatDateTime(r.expiresAt, lng) })}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
