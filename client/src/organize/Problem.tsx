import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api';
import { errorText } from '../components/Status';

/**
 * A refused request in plain words: what kind of refusal (conflict, bad input …), the server's own
 * message (it names the field or the rule), and the fields it listed.
 */
export function Problem({ error, hint, id }: { error: ApiError; hint?: string | undefined; id?: string }) {
  const { t } = useTranslation('organize');
  const { t: tc } = useTranslation();
  const known = error.status === 400 || error.status === 409 || error.status === 413 || error.status === 422;
  // A 409 that names a field (a code or name already taken) is about the value, not the contest's state.
  const aboutAField = error.fields.length > 0 || typeof error.details.field === 'string';
  const heading =
    error.status === 409
      ? t(aboutAField ? 'problem.fieldConflict' : 'problem.conflict')
      : error.status === 400 || error.status === 422
        ? t('problem.badRequest')
        : error.status === 413
          ? t('problem.tooLarge')
          : errorText(tc, error);
  return (
    <div className="notice notice-error org-problem" role="alert" id={id}>
      <p>
        <strong>{heading}</strong>
      </p>
      {hint && <p>{hint}</p>}
      {known && <p className="org-server-message">{t('problem.serverSaid', { message: error.message })}</p>}
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
