// Top bar: app name, navigation, live indicator, language and theme switches, and the signed-in user.
import { LANGUAGES, useI18n } from '../i18n/i18n.js';
import { Link, type Route } from '../router.js';
import { useSession } from '../session.js';
import type { Theme } from '../theme.js';
import { OnlineIndicator } from './OnlineIndicator.js';

export function Header({
  route,
  theme,
  setTheme,
}: {
  route: Route;
  theme: Theme;
  setTheme: (theme: Theme) => void;
}) {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const { user } = session;
  const signedIn = session.state === 'signed-in' && user !== undefined;

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <Link href="/" className="brand">
        {t.app.title}
      </Link>
      {signedIn && (
        <nav aria-label={t.nav.main}>
          <ul>
            {session.hasRight('AccessDashboard') && (
              <li>
                <Link
                  href="/"
                  aria-current={route.name === 'home' || route.name === 'disaster' ? 'page' : undefined}
                >
                  {t.nav.disasters}
                </Link>
              </li>
            )}
            {session.hasRight('AccessTenantConsole') && (
              <li>
                <Link href="/admin/users" aria-current={route.name === 'admin' ? 'page' : undefined}>
                  {t.nav.admin}
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
      <div className="header-tools">
        {signedIn && <OnlineIndicator socket={session.socket} />}
        <fieldset className="language-switch">
          <legend className="visually-hidden">{t.language.label}</legend>
          {LANGUAGES.map((option) => (
            <button
              key={option}
              type="button"
              lang={option}
              aria-pressed={language === option}
              onClick={() => setLanguage(option)}
              title={t.language[option]}
            >
              {option.toUpperCase()}
              <span className="visually-hidden"> – {t.language[option]}</span>
            </button>
          ))}
        </fieldset>
        <button
          type="button"
          className="theme-toggle"
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          <span aria-hidden="true">{theme === 'dark' ? '☾' : '☀'}</span> {t.nav.darkMode}
        </button>
        {signedIn && (
          <>
            <span className="user-name">{t.nav.signedInAs(user.displayName, user.tenant.name)}</span>
            <button type="button" onClick={() => void session.signOut()}>
              {t.nav.signOut}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
