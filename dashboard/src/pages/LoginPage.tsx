// Sign-in with e-mail and password.
import { type FormEvent, useState } from 'react';
import { describeError, problemCode } from '../errors.js';
import type { Messages } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

function loginError(error: unknown, t: Messages): string {
  switch (problemCode(error)) {
    case 'INVALID_CREDENTIALS':
      return t.login.invalidCredentials;
    case 'ACCOUNT_PENDING':
      return t.login.accountPending;
    case 'ACCOUNT_LOCKED':
      return t.login.accountLocked;
    default:
      return describeError(error, t);
  }
}

export function LoginPage() {
  const session = useSession();
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await session.signIn(email.trim(), password);
    } catch (caught) {
      setFailure(caught);
      setBusy(false);
    }
  };

  return (
    <section className="auth-page">
      <h1 tabIndex={-1}>{t.login.title}</h1>
      {session.expired && failure === undefined && (
        <p role="status" className="notice">
          {t.login.sessionExpired}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} className="auth-form">
        <label>
          {t.login.email}
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          {t.login.password}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {failure !== undefined && (
          <p role="alert" className="error">
            {loginError(failure, t)}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t.login.submitting : t.login.submit}
        </button>
      </form>
      <p>
        {t.login.noAccount} <Link href="/register">{t.login.register}</Link>
      </p>
    </section>
  );
}
