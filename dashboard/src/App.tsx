// The app shell: header, route selection, and the sign-in gate.
import { type ReactNode, useEffect, useRef } from 'react';
import { Header } from './components/Header.js';
import { useI18n } from './i18n/i18n.js';
import { AdminPage } from './pages/AdminPage.js';
import { DisasterPage } from './pages/DisasterPage.js';
import { HomePage } from './pages/HomePage.js';
import { LoginPage } from './pages/LoginPage.js';
import { RegisterPage } from './pages/RegisterPage.js';
import { Link, navigate, parseRoute, type Route, usePathname } from './router.js';
import { useSession } from './session.js';
import { useTheme } from './theme.js';

function Page({ route }: { route: Route }) {
  const { t } = useI18n();
  switch (route.name) {
    case 'home':
    case 'login':
    case 'register':
      return <HomePage />;
    case 'disaster':
      return <DisasterPage key={route.disasterId} disasterId={route.disasterId} />;
    case 'admin':
      return <AdminPage section={route.section} />;
    case 'not-found':
      return (
        <section>
          <h1 tabIndex={-1}>404</h1>
          <Link href="/">{t.disaster.back}</Link>
        </section>
      );
  }
}

export function App() {
  const session = useSession();
  const { t } = useI18n();
  const [theme, setTheme] = useTheme();
  const pathname = usePathname();
  const route = parseRoute(pathname);
  const mainRef = useRef<HTMLElement>(null);
  const previousState = useRef(session.state);
  const previousPath = useRef(pathname);

  // Signed-in users have no business on the sign-in pages.
  useEffect(() => {
    if (session.state === 'signed-in' && (route.name === 'login' || route.name === 'register')) {
      navigate('/', { replace: true });
    }
  }, [session.state, route.name]);

  // After a navigation or a sign-in or sign-out, focus moves to the new page's heading, so screen readers
  // announce it. The initial load, including the session restore, leaves the focus where the browser put it.
  useEffect(() => {
    const restored = previousState.current === 'restoring';
    const changed = previousPath.current !== pathname || previousState.current !== session.state;
    previousState.current = session.state;
    previousPath.current = pathname;
    if (restored || !changed) return;
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    (heading ?? mainRef.current)?.focus({ preventScroll: false });
  }, [pathname, session.state]);

  let content: ReactNode;
  if (session.state === 'restoring') {
    content = <p aria-busy="true">{t.app.loading}</p>;
  } else if (session.state === 'signed-out') {
    content = route.name === 'register' ? <RegisterPage /> : <LoginPage />;
  } else {
    content = <Page route={route} />;
  }

  return (
    <>
      <Header route={route} theme={theme} setTheme={setTheme} />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {content}
      </main>
    </>
  );
}
