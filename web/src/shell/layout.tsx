import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router-dom';
import { api } from './api.ts';
import { AREAS } from './areas.ts';
import { changeLanguage, LANGUAGES, type Language } from './i18n.ts';
import { mayOpen, SCREENS } from './registry.ts';
import { useUser, useSession } from './session.tsx';

/** Switches between Chinese and English; remembered on this device and in the user's profile. */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const choose = (language: Language) => {
    void changeLanguage(language);
    if (signedIn) void api.put('/v1/auth/preferences', { preferredLanguage: language }).catch(() => undefined);
  };
  return (
    <div className="language-switch" role="group" aria-label={t('language')}>
      {LANGUAGES.map((language) => (
        <button key={language} type="button" lang={language} aria-pressed={i18n.language === language} onClick={() => choose(language)}>
          {t(`languages.${language}`)}
        </button>
      ))}
    </div>
  );
}

/** The signed-in frame: header, navigation of the screens this user may open, and the content. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const user = useUser();
  const session = useSession();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const visible = SCREENS.filter((screen) => screen.navigation && mayOpen(screen, user));
  const areas = AREAS.filter((area) => visible.some((screen) => screen.area === area));
  return (
    <div className="layout">
      <a className="skip-link" href="#main">{t('skipToContent')}</a>
      <header className="top-bar">
        <span className="brand">{t('appName')}</span>
        {visible.length > 0 ? (
          <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="navigation" onClick={() => setMenuOpen((open) => !open)}>
            {t('menu')}
          </button>
        ) : null}
        <div className="top-bar-end">
          <LanguageSwitch signedIn />
          <span className="who" title={t(`roles.${user.role}`)}>{t('signedInAs', { name: user.displayName })}</span>
          <button type="button" onClick={() => void session.logout().then(() => navigate('/'))}>{t('logout')}</button>
        </div>
      </header>
      <div className="body">
        {visible.length > 0 ? (
          <nav id="navigation" className={menuOpen ? 'navigation open' : 'navigation'} aria-label={t('navigation')}>
            {areas.map((area) => (
              <div key={area} className="navigation-area">
                <h2>{t(`areas.${area}`)}</h2>
                <ul>
                  {visible.filter((screen) => screen.area === area).map((screen) => (
                    <li key={screen.path}>
                      <NavLink to={screen.path} onClick={() => setMenuOpen(false)}>{t(screen.titleKey)}</NavLink>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </nav>
        ) : null}
        <main id="main" tabIndex={-1}>{children}</main>
      </div>
    </div>
  );
}
