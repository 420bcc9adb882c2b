import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ContestCreateSchema } from '@pingxuan/shared';
import { api, asApiError } from '../api';
import { ErrorNotice, errorText } from '../components/Status';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { TextField, serverFieldErrors, useFocusFirstInvalid, without, type Errors } from './fields';
import './admin.css';

type Row = { key: number; id: string; zh: string; en: string };

export function NewContestPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const id = useId();
  usePageTitle(t('newContest.title'));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(0);
  const formRef = useFocusFirstInvalid(refused);
  const nextKey = useRef(1);
  const focusRow = useRef<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  // A new row's code box takes the focus, so typing goes straight in.
  useEffect(() => {
    if (focusRow.current === null) return;
    listRef.current?.querySelector<HTMLInputElement>(`[data-row="${focusRow.current}"] input`)?.focus();
    focusRow.current = null;
  }, [rows]);

  if (!me?.isAdmin) return <ErrorNotice message={t('newContest.adminOnly')} />;

  /** Paths such as `categories.1.name.zh` to the reader's words. */
  const localize = (path: string, message: string): string | undefined => {
    if (path === 'name') return t('newContest.errors.nameRequired');
    if (path === 'description') return t('newContest.errors.descriptionTooLong');
    if (/^categories\.\d+\.id$/.test(path))
      return /duplicate/.test(message)
        ? t('newContest.errors.idDuplicate')
        : t('newContest.errors.idInvalid');
    if (/^categories\.\d+\.name\.zh$/.test(path)) return t('newContest.errors.zhRequired');
    if (/^categories\.\d+\.name\.en$/.test(path)) return t('newContest.errors.enTooLong');
    return undefined;
  };

  const refuse = (e: Errors, msg: string | null = t('forms.fix')) => {
    setErrors(e);
    setMessage(msg);
    setRefused((n) => n + 1);
  };

  const update = (key: number, patch: Partial<Row>, errorKey: string) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setErrors((e) => without(e, errorKey));
  };

  function addRow() {
    const key = nextKey.current++;
    setRows((rs) => [...rs, { key, id: '', zh: '', en: '' }]);
    focusRow.current = key;
  }

  function removeRow(key: number) {
    setRows((rs) => rs.filter((r) => r.key !== key));
    // Errors are keyed by row position, which just shifted.
    setErrors({});
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const input = {
      name,
      description,
      categories: rows.map((r) => ({
        id: r.id,
        name: { zh: r.zh, ...(r.en.trim() ? { en: r.en } : {}) },
      })),
    };
    const parsed = ContestCreateSchema.safeParse(input);
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        found[path] ??= localize(path, issue.message) ?? issue.message;
      }
      return refuse(found);
    }
    setErrors({});
    setMessage(null);
    setBusy(true);
    try {
      // The unparsed input: the server applies the schema's defaults (rounds, settings) itself.
      const created = await api.post<{ id: string }>('/contests', input);
      void navigate(`/contests/${encodeURIComponent(created.id)}/settings`);
    } catch (err) {
      const a = asApiError(err);
      if (a.status === 400 && a.fields.length) refuse(serverFieldErrors(a, localize));
      else refuse({}, errorText(t, a));
      setBusy(false);
    }
  }

  return (
    <section className="admin-page" aria-labelledby={`${id}-title`}>
      <p className="back">
        <Link to="/contests">{t('newContest.back')}</Link>
      </p>
      <div className="page-head">
        <h1 id={`${id}-title`}>{t('newContest.title')}</h1>
      </div>
      <p className="muted">{t('newContest.intro')}</p>
      <form ref={formRef} className="card admin-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <TextField
          label={t('newContest.name')}
          name="name"
          autoComplete="off"
          maxLength={200}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setErrors((x) => without(x, 'name'));
          }}
          error={errors.name}
        />
        <div className="field">
          <label htmlFor={`${id}-description`}>
            {t('newContest.description')}
            <span className="field-optional">{t('forms.optional')}</span>
          </label>
          <textarea
            id={`${id}-description`}
            name="description"
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? `${id}-description-error` : undefined}
          />
          {errors.description && (
            <p id={`${id}-description-error`} className="field-error">
              {errors.description}
            </p>
          )}
        </div>
        <fieldset className="category-rows">
          <legend>{t('newContest.categories')}</legend>
          <p className="muted" id={`${id}-cat-intro`}>
            {t('newContest.categoriesIntro')}
          </p>
          {rows.length === 0 && <p className="empty">{t('newContest.noCategories')}</p>}
          <ol ref={listRef}>
            {rows.map((r, i) => (
              <li key={r.key} data-row={r.key}>
                <fieldset className="category-row">
                  <legend>{t('newContest.categoryRow', { n: i + 1 })}</legend>
                  <TextField
                    label={t('newContest.categoryId')}
                    autoCapitalize="none"
                    spellCheck={false}
                    maxLength={40}
                    value={r.id}
                    onChange={(e) => update(r.key, { id: e.target.value }, `categories.${i}.id`)}
                    error={errors[`categories.${i}.id`]}
                  />
                  <TextField
                    label={t('newContest.categoryZh')}
                    maxLength={200}
                    value={r.zh}
                    onChange={(e) => update(r.key, { zh: e.target.value }, `categories.${i}.name.zh`)}
                    error={errors[`categories.${i}.name.zh`] ?? errors[`categories.${i}.name`]}
                  />
                  <TextField
                    label={t('newContest.categoryEn')}
                    optional
                    maxLength={200}
                    value={r.en}
                    onChange={(e) => update(r.key, { en: e.target.value }, `categories.${i}.name.en`)}
                    error={errors[`categories.${i}.name.en`]}
                  />
                  <button
                    type="button"
                    className="button button-secondary category-remove"
                    onClick={() => removeRow(r.key)}
                  >
                    {t('newContest.removeCategory', { n: i + 1 })}
                  </button>
                </fieldset>
              </li>
            ))}
          </ol>
          {errors.categories && <p className="field-error">{errors.categories}</p>}
          <button type="button" className="button button-secondary" onClick={addRow}>
            {t('newContest.addCategory')}
          </button>
        </fieldset>
        {message && <ErrorNotice message={message} />}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('forms.saving') : t('newContest.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
