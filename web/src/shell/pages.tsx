import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { Page } from './components.tsx';
import { mayOpen, SCREENS } from './registry.ts';
import { useUser } from './session.tsx';

/** The start page: the first screen this user may open, or a welcome when there is none yet. */
export function HomePage() {
  const { t } = useTranslation();
  const user = useUser();
  const first = SCREENS.find((screen) => screen.navigation && mayOpen(screen, user));
  if (first) return <Navigate to={first.path} replace />;
  return (
    <Page title={t('welcome.title', { name: user.displayName })}>
      <p>{t('welcome.body')}</p>
    </Page>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body')}</p>
      <p><Link to="/">{t('notFound.home')}</Link></p>
    </Page>
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('forbidden.title')}>
      <p>{t('forbidden.body')}</p>
      <p><Link to="/">{t('forbidden.home')}</Link></p>
    </Page>
  );
}
