import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useLanguage } from '../i18n';
import { localized } from '../localized';
import { useOrganize } from './context';

/** The round asked for in the address (?round=), or null for the contest's current round. */
export function useRoundParam(): string | null {
  const [params] = useSearchParams();
  const { contest } = useOrganize();
  const round = params.get('round');
  return round && contest.rounds.some((r) => r.id === round) ? round : null;
}

/** A round choice, shown only for contests with more than one round. */
export function RoundPicker({ current }: { current: string | null | undefined }) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [params, setParams] = useSearchParams();
  if (contest.rounds.length < 2) return null;
  const chosen = roundValue(params.get('round'), current, contest.rounds);
  return (
    <div className="org-field">
      <label htmlFor="round-picker">{t('round.label')}</label>
      <select
        id="round-picker"
        value={chosen}
        onChange={(e) => {
          const next = new URLSearchParams(params);
          next.set('round', e.target.value);
          next.delete('page');
          setParams(next, { replace: true });
        }}
      >
        {contest.rounds.map((r) => (
          <option key={r.id} value={r.id}>
            {localized(r.name, lng)}
          </option>
        ))}
      </select>
    </div>
  );
}

function roundValue(asked: string | null, current: string | null | undefined, rounds: { id: string }[]) {
  if (asked && rounds.some((r) => r.id === asked)) return asked;
  return current ?? rounds[0]?.id ?? '';
}
