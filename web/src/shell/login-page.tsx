import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';
import { ErrorMessage, Field } from './components.tsx';
import { LanguageSwitch } from './layout.tsx';
import { useSession } from './session.tsx';

/** Username and password; failures say the same thing whatever was wrong (the server does too). */
export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    document.title = `${t('login.title')} · Lenity`;
  }, [t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await session.login(username, password);
    } catch (caught) {
      setError(caught);
      setSubmitting(false);
    }
  };

  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="login">
      <div className="login-card">
        <div className="login-top">
          <span className="brand">{t('appName')}</span>
          <LanguageSwitch signedIn={false} />
        </div>
        <h1>{t('login.title')}</h1>
        <p>{t('login.intro')}</p>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Field label={t('login.username')}>
            {(props) => <input {...props} name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />}
          </Field>
          <Field label={t('login.password')}>
            {(props) => <input {...props} name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />}
          </Field>
          {code === 'UNAUTHENTICATED' ? <p className="error" role="alert">{t('login.failed')}</p> : null}
          {code === 'TOO_MANY_ATTEMPTS' ? <p className="error" role="alert">{t('login.locked')}</p> : null}
          {error && code !== 'UNAUTHENTICATED' && code !== 'TOO_MANY_ATTEMPTS' ? <ErrorMessage error={error} /> : null}
          <button type="submit" className="primary" disabled={submitting || !username || !password}>
            {submitting ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </div>
    </div>
  );
}
