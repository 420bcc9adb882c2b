import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Names the browser tab (and what screen readers announce on navigation) after the page. */
export function usePageTitle(page: string | null): void {
  const { t } = useTranslation();
  const title = page ? t('app.pageTitle', { page }) : null;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);
}
