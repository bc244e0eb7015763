// Users of the tenant: activate pending registrations, assign and remove roles, delete accounts.
import type { Schemas } from '@katapp/client';
import { useCallback, useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog.js';
import { describeError } from '../../errors.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

type User = Schemas['User'];
type Role = Schemas['Role'];
type UserStatus = Schemas['UserStatus'];

export function UsersSection() {
  const { client, hasRight } = useSession();
  const { t, formatDateTime } = useI18n();
  const [status, setStatus] = useState<UserStatus | 'all'>('all');
  const [users, setUsers] = useState<User[]>();
  const [roles, setRoles] = useState<Role[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [roleChoice, setRoleChoice] = useState<Record<string, string>>({});
  const [deleting, setDeleting] = useState<User>();

  const load = useCallback(async () => {
    const items: User[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await client.GET('/users', {
        params: {
          query: { limit: 500, ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}) },
        },
      });
      items.push(...data.items);
      cursor = data.nextCursor ?? undefined;
    } while (cursor);
    setUsers(items.sort((first, second) => first.displayName.localeCompare(second.displayName)));
  }, [client, status]);

  useEffect(() => {
    load().catch(setFailure);
  }, [load]);

  useEffect(() => {
    if (!hasRight('ActionViewRole')) return;
    client
      .GET('/roles', { params: { query: { limit: 500 } } })
      .then(({ data }) => setRoles(data.items))
      .catch(setFailure);
  }, [client, hasRight]);

  /** Runs one change and reloads the list; the failure, if any, is shown above the table. */
  const run = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await change();
      await load();
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  };

  const roleName = (roleId: string) => roles.find((role) => role.id === roleId)?.name ?? roleId;

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">{t.admin.users}</h2>
      <label className="inline-field">
        {t.admin.statusFilter}
        <select value={status} onChange={(event) => setStatus(event.target.value as UserStatus | 'all')}>
          <option value="all">{t.app.all}</option>
          {(['pending', 'active', 'locked'] as const).map((option) => (
            <option key={option} value={option}>
              {t.admin.userStatuses[option]}
            </option>
          ))}
        </select>
      </label>
      {failure !== undefined && (
        <p role="alert" className="error">
          {describeError(failure, t)}
        </p>
      )}
      {users === undefined ? (
        <p aria-busy="true">{t.app.loading}</p>
      ) : (
        <div className="table-scroll-x">
          <table className="admin-table" aria-busy={busy}>
            <caption className="visually-hidden">{t.admin.users}</caption>
            <thead>
              <tr>
                <th scope="col">{t.admin.userName}</th>
                <th scope="col">{t.admin.userEmail}</th>
                <th scope="col">{t.admin.userStatus}</th>
                <th scope="col">{t.admin.userRoles}</th>
                <th scope="col">{t.admin.userCreated}</th>
                <th scope="col">{t.admin.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const choice = roleChoice[user.id] ?? '';
                const assignable = roles.filter((role) => !user.roles.includes(role.id));
                return (
                  <tr key={user.id} data-user-id={user.id} data-email={user.email}>
                    <th scope="row">{user.displayName}</th>
                    <td>{user.email}</td>
                    <td>
                      <span className={`badge user-${user.status}`}>{t.admin.userStatuses[user.status]}</span>
                    </td>
                    <td>
                      <ul className="role-list">
                        {user.roles.map((roleId) => (
                          <li key={roleId}>
                            {roleName(roleId)}
                            {hasRight('ActionAssignRole') && (
                              <button
                                type="button"
                                className="icon-button"
                                disabled={busy}
                                aria-label={t.admin.removeRole(roleName(roleId), user.displayName)}
                                onClick={() =>
                                  void run(() =>
                                    client.DELETE('/users/{userId}/roles/{roleId}', {
                                      params: { path: { userId: user.id, roleId } },
                                    }),
                                  )
                                }
                              >
                                <span aria-hidden="true">×</span>
                              </button>
                            )}
                          </li>
                        ))}
                      </ul>
                      {hasRight('ActionAssignRole') && assignable.length > 0 && (
                        <span className="add-role">
                          <select
                            aria-label={t.admin.addRoleFor(user.displayName)}
                            value={choice}
                            onChange={(event) =>
                              setRoleChoice({ ...roleChoice, [user.id]: event.target.value })
                            }
                          >
                            <option value="">{t.admin.addRole}</option>
                            {assignable.map((role) => (
                              <option key={role.id} value={role.id}>
                                {role.name}
                              </option>
                            ))}
                          </select>
                          <button
                            type="button"
                            disabled={busy || choice === ''}
                            onClick={() =>
                              void run(async () => {
                                await client.PUT('/users/{userId}/roles/{roleId}', {
                                  params: { path: { userId: user.id, roleId: choice } },
                                });
                                setRoleChoice({ ...roleChoice, [user.id]: '' });
                              })
                            }
                          >
                            {t.admin.addRole}
                          </button>
                        </span>
                      )}
                    </td>
                    <td>
                      <time dateTime={user.createdAt}>{formatDateTime(user.createdAt)}</time>
                    </td>
                    <td className="actions">
                      {user.status !== 'active' && hasRight('ActionActivateUser') && (
                        // The activation operation also lifts the lock after repeated failed logins.
                        <button
                          type="button"
                          disabled={busy}
                          aria-label={
                            user.status === 'locked'
                              ? t.admin.unlockUser(user.displayName)
                              : t.admin.activateUser(user.displayName)
                          }
                          onClick={() =>
                            void run(() =>
                              client.POST('/users/{userId}/activation', {
                                params: { path: { userId: user.id } },
                              }),
                            )
                          }
                        >
                          {user.status === 'locked' ? t.admin.unlock : t.admin.activate}
                        </button>
                      )}
                      {hasRight('ActionDeleteUser') && (
                        <button
                          type="button"
                          className="danger"
                          disabled={busy}
                          aria-label={t.admin.deleteUser(user.displayName)}
                          onClick={() => setDeleting(user)}
                        >
                          {t.admin.delete}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
              {users.length === 0 && (
                <tr>
                  <td colSpan={6}>{t.admin.noUsers}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={deleting !== undefined} title={t.admin.delete} onClose={() => setDeleting(undefined)}>
        {deleting && (
          <>
            <p>{t.admin.confirmDelete(deleting.displayName)}</p>
            <div className="dialog-actions">
              <button type="button" onClick={() => setDeleting(undefined)}>
                {t.app.cancel}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  const user = deleting;
                  setDeleting(undefined);
                  void run(() => client.DELETE('/users/{userId}', { params: { path: { userId: user.id } } }));
                }}
              >
                {t.admin.delete}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </section>
  );
}
