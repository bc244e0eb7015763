// The tenant's audit log, newest first, one page at a time (the API lists the last 24 hours without `since`).
import type { Schemas } from '@katapp/client';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../errors.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

type AuditEvent = Schemas['AuditEvent'];

const PAGE_SIZE = 100;

export function AuditSection() {
  const { client } = useSession();
  const { t, formatDateTime } = useI18n();
  const [events, setEvents] = useState<AuditEvent[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const loadPage = useCallback(
    async (after: string | null) => {
      setBusy(true);
      try {
        const { data } = await client.GET('/audit-events', {
          params: { query: { limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) } },
        });
        setEvents((current) => (after && current ? [...current, ...data.items] : data.items));
        setCursor(data.nextCursor);
        setFailure(undefined);
      } catch (caught) {
        setFailure(caught);
      } finally {
        setBusy(false);
      }
    },
    [client],
  );

  useEffect(() => {
    void loadPage(null);
  }, [loadPage]);

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t.admin.audit}</h2>
      {failure !== undefined && (
        <p role="alert" className="error">
          {describeError(failure, t)}
        </p>
      )}
      {events === undefined ? (
        <p aria-busy="true">{t.app.loading}</p>
      ) : (
        <div className="table-scroll-x">
          <table className="admin-table audit-table">
            <caption className="visually-hidden">{t.admin.audit}</caption>
            <thead>
              <tr>
                <th scope="col">{t.admin.auditTime}</th>
                <th scope="col">{t.admin.auditActor}</th>
                <th scope="col">{t.admin.auditAction}</th>
                <th scope="col">{t.admin.auditEntity}</th>
                <th scope="col">{t.admin.auditRequest}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
                  </td>
                  <td>
                    {event.actor.kind === 'system'
                      ? t.admin.system
                      : (event.actor.displayName ?? event.actor.id)}
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    {event.entityType} <code className="muted">{event.entityId}</code>
                  </td>
                  <td>
                    <code className="muted">{event.requestId}</code>
                  </td>
                </tr>
              ))}
              {events.length === 0 && (
                <tr>
                  <td colSpan={5}>{t.admin.noAuditEvents}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" disabled={busy} onClick={() => void loadPage(cursor)}>
          {t.admin.loadMore}
        </button>
      )}
    </section>
  );
}
