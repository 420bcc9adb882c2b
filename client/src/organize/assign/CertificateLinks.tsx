import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError, errorFromResponse, seg, type ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { formatNumber, localized } from '../../localized';
import { useOrganize } from '../context';
import { Problem } from '../Problem';
import { attachmentName } from './logic';
import '../assign.css';

type Tier = { id: string; name: { zh: string; en?: string | null }; count: number };
const LANGS = ['zh', 'en'] as const;

/**
 * Award certificates per prize tier, in Chinese and in English, once the results are published. The links
 * are plain links (they work opened in a new tab); a click fetches the PDF first, so a refusal (409, or a
 * 503 when the font lacks a character) is shown here instead of being saved as a file.
 */
export function CertificateLinks({ tiers }: { tiers: readonly Tier[] }) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ key: string; error: ApiError } | null>(null);
  const base = `/api/contests/${seg(contest.id)}/certificates`;

  if (contest.status !== 'published')
    return (
      <section className="org-section asg-certificates" aria-labelledby="certificates-title">
        <h2 id="certificates-title">{t('certificates.title')}</h2>
        <p className="muted">{t('certificates.afterPublication')}</p>
      </section>
    );

  async function download(e: MouseEvent<HTMLAnchorElement>, key: string, href: string, fallback: string) {
    // Let the browser handle new-tab and save-as clicks itself.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    setBusy(key);
    setError(null);
    try {
      const res = await fetch(href, { credentials: 'same-origin' });
      if (!res.ok) {
        const text = await res.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        throw errorFromResponse(res.status, body);
      }
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = attachmentName(res.headers.get('content-disposition'), fallback);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setError({ key, error: asApiError(err) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="org-section asg-certificates" aria-labelledby="certificates-title">
      <h2 id="certificates-title">{t('certificates.title')}</h2>
      <p className="muted">{t('certificates.intro')}</p>
      {tiers.length === 0 ? (
        <p className="empty">{t('certificates.noTiers')}</p>
      ) : (
        <ul className="asg-cert-list">
          {tiers.map((tier) => {
            const name = localized({ zh: tier.name.zh, en: tier.name.en ?? undefined }, lng);
            return (
              <li key={tier.id} className="card">
                <div className="asg-cert-tier">
                  <span className="org-tier-name">{name}</span>
                  <span className="muted">
                    {t('certificates.winners', { n: formatNumber(tier.count, lng) })}
                  </span>
                </div>
                {tier.count === 0 ? (
                  <p className="muted">{t('certificates.noWinners')}</p>
                ) : (
                  <div className="asg-cert-links">
                    {LANGS.map((lang) => {
                      const key = `${tier.id}:${lang}`;
                      const href = `${base}?tier=${encodeURIComponent(tier.id)}&lang=${lang}`;
                      return (
                        <a
                          key={lang}
                          className="button button-secondary"
                          href={href}
                          download
                          aria-busy={busy === key}
                          onClick={(e) => void download(e, key, href, `certificates-${tier.id}-${lang}.pdf`)}
                        >
                          {busy === key
                            ? t('certificates.preparing')
                            : t(lang === 'zh' ? 'certificates.zh' : 'certificates.en', { tier: name })}
                        </a>
                      );
                    })}
                  </div>
                )}
                {error && error.key.startsWith(`${tier.id}:`) && <Problem error={error.error} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
