// Self-registration: the user picks an active tenant; the account stays pending until a tenant admin activates it.
import type { Schemas } from '@katapp/client';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError, problemCode } from '../errors.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

type TenantSummary = Schemas['TenantSummary'];

/** The API's minimum password length. */
const MIN_PASSWORD_LENGTH = 12;

export function RegisterPage() {
  const { client } = useSession();
  const { t } = useI18n();
  const [tenants, setTenants] = useState<TenantSummary[]>();
  const [tenantId, setTenantId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [registered, setRegistered] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const items: TenantSummary[] = [];
        let cursor: string | undefined;
        do {
          const { data } = await client.GET('/tenants', {
            params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } },
          });
          items.push(...data.items);
          cursor = data.nextCursor ?? undefined;
        } while (cursor);
        if (!cancelled) setTenants(items.sort((first, second) => first.name.localeCompare(second.name)));
      } catch (caught) {
        if (!cancelled) setFailure(caught);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await client.POST('/auth/register', {
        body: { tenantId, email: email.trim(), displayName: displayName.trim(), password },
      });
      setRegistered(true);
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  };

  if (registered) {
    return (
      <section className="auth-page">
        <h1 tabIndex={-1}>{t.register.title}</h1>
        <p role="status" className="notice">
          {t.register.pending}
        </p>
        <Link href="/login">{t.register.backToLogin}</Link>
      </section>
    );
  }

  return (
    <section className="auth-page">
      <h1 tabIndex={-1}>{t.register.title}</h1>
      <p>{t.register.intro}</p>
      <form onSubmit={(event) => void submit(event)} className="auth-form">
        <label>
          {t.register.tenant}
          <select
            name="tenantId"
            required
            value={tenantId}
            onChange={(event) => setTenantId(event.target.value)}
          >
            <option value="" disabled>
              {tenants === undefined ? t.app.loading : t.register.chooseTenant}
            </option>
            {tenants?.map((tenant) => (
              <option key={tenant.id} value={tenant.id}>
                {tenant.name}
              </option>
            ))}
          </select>
        </label>
        {tenants?.length === 0 && <p className="muted">{t.register.noTenants}</p>}
        <label>
          {t.register.displayName}
          <input
            name="displayName"
            autoComplete="name"
            required
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        </label>
        <label>
          {t.register.email}
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
          {t.register.password}
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            aria-describedby="password-hint"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <p id="password-hint" className="muted">
          {t.register.passwordHint}
        </p>
        {failure !== undefined && (
          <p role="alert" className="error">
            {problemCode(failure) === 'EMAIL_TAKEN' ? t.register.emailTaken : describeError(failure, t)}
          </p>
        )}
        <button type="submit" disabled={busy || !tenants?.length}>
          {busy ? t.register.submitting : t.register.submit}
        </button>
      </form>
      <p>
        <Link href="/login">{t.register.backToLogin}</Link>
      </p>
    </section>
  );
}
