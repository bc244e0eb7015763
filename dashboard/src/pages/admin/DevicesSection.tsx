// Devices of the tenant: register phones, create a device token (shown once), revoke devices.
import type { Schemas } from '@katapp/client';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog.js';
import { describeError, problemCode } from '../../errors.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';

type Device = Schemas['Device'];
type Role = Schemas['Role'];
type DeviceTokenGrant = Schemas['DeviceTokenGrant'];

interface DeviceForm {
  imei: string;
  name: string;
  os: 'android' | 'ios';
  roleId: string;
  userName: string;
}

const EMPTY_FORM: DeviceForm = { imei: '', name: '', os: 'android', roleId: 'DeviceUser', userName: '' };

/** Shows a new device token once, with a copy button; closing the dialog discards the token. */
function TokenDialog({
  grant,
  device,
  onClose,
}: {
  grant: DeviceTokenGrant | undefined;
  device: Device | undefined;
  onClose(): void;
}) {
  const { t, formatDateTime } = useI18n();
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const tokenRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (grant) setCopyState('idle');
  }, [grant]);

  const copyMessages = { idle: '', copied: t.admin.copied, failed: t.admin.copyFailed };

  const copy = async () => {
    if (!grant) return;
    try {
      await navigator.clipboard.writeText(grant.deviceToken);
      setCopyState('copied');
    } catch {
      // Without clipboard permission the token stays selected, so Ctrl+C copies it.
      tokenRef.current?.select();
      setCopyState('failed');
    }
  };

  return (
    <Dialog
      open={grant !== undefined}
      title={t.admin.tokenTitle(device?.name ?? '')}
      onClose={onClose}
      className="token-dialog"
    >
      {grant && (
        <>
          <p className="warning" role="alert">
            {t.admin.tokenWarning}
          </p>
          <label className="token-field">
            {t.admin.tokenTitle(device?.name ?? '')}
            <input
              ref={tokenRef}
              readOnly
              value={grant.deviceToken}
              data-testid="device-token"
              onFocus={(event) => event.currentTarget.select()}
            />
          </label>
          <p>{t.admin.tokenExpires(formatDateTime(grant.expiresAt))}</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => void copy()}>
              {t.admin.copy}
            </button>
            <button type="button" onClick={onClose}>
              {t.app.close}
            </button>
          </div>
          <output aria-live="polite">{copyMessages[copyState]}</output>
        </>
      )}
    </Dialog>
  );
}

export function DevicesSection() {
  const { client, hasRight } = useSession();
  const { t, formatDateTime } = useI18n();
  const [devices, setDevices] = useState<Device[]>();
  const [roles, setRoles] = useState<Role[]>([]);
  const [form, setForm] = useState<DeviceForm>(EMPTY_FORM);
  const [failure, setFailure] = useState<unknown>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [grant, setGrant] = useState<{ grant: DeviceTokenGrant; device: Device }>();
  const [revoking, setRevoking] = useState<Device>();
  const [reason, setReason] = useState('');

  const load = useCallback(async () => {
    const items: Device[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await client.GET('/devices', {
        params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } },
      });
      items.push(...data.items);
      cursor = data.nextCursor ?? undefined;
    } while (cursor);
    setDevices(items.sort((first, second) => first.name.localeCompare(second.name)));
  }, [client]);

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

  const run = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(undefined);
    setMessage(undefined);
    try {
      await change();
      await load();
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  };

  const register = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { data } = await client.POST('/devices', {
        body: {
          imei: form.imei.trim(),
          name: form.name.trim(),
          os: form.os,
          roleId: form.roleId,
          userName: form.userName.trim() === '' ? null : form.userName.trim(),
        },
      });
      setForm(EMPTY_FORM);
      setMessage(t.admin.deviceRegistered(data.name));
    });
  };

  const createToken = (device: Device) =>
    run(async () => {
      const { data } = await client.POST('/devices/{deviceId}/token', {
        params: { path: { deviceId: device.id } },
      });
      setGrant({ grant: data, device });
    });

  const roleOptions = roles.length > 0 ? roles : [{ id: 'DeviceUser', name: 'DeviceUser' } as Role];

  return (
    <section aria-labelledby="devices-heading">
      <h2 id="devices-heading">{t.admin.devices}</h2>

      {hasRight('ActionCreateDevice') && (
        <form className="device-form" onSubmit={register} aria-labelledby="register-device-heading">
          <h3 id="register-device-heading">{t.admin.registerDevice}</h3>
          <label>
            {t.admin.imei}
            <input
              name="imei"
              required
              inputMode="numeric"
              pattern="[0-9]{15}"
              maxLength={15}
              aria-describedby="imei-hint"
              value={form.imei}
              onChange={(event) => setForm({ ...form, imei: event.target.value })}
            />
          </label>
          <span id="imei-hint" className="muted">
            {t.admin.imeiHint}
          </span>
          <label>
            {t.admin.deviceName}
            <input
              name="name"
              required
              value={form.name}
              onChange={(event) => setForm({ ...form, name: event.target.value })}
            />
          </label>
          <label>
            {t.admin.os}
            <select
              name="os"
              value={form.os}
              onChange={(event) => setForm({ ...form, os: event.target.value as DeviceForm['os'] })}
            >
              <option value="android">Android</option>
              <option value="ios">iOS</option>
            </select>
          </label>
          <label>
            {t.admin.role}
            <select
              name="roleId"
              value={form.roleId}
              onChange={(event) => setForm({ ...form, roleId: event.target.value })}
            >
              {roleOptions.map((role) => (
                <option key={role.id} value={role.id}>
                  {role.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.admin.carrier}
            <input
              name="userName"
              value={form.userName}
              onChange={(event) => setForm({ ...form, userName: event.target.value })}
            />
          </label>
          <button type="submit" disabled={busy}>
            {t.admin.register}
          </button>
        </form>
      )}

      <output aria-live="polite" className="notice-line">
        {message}
      </output>
      {failure !== undefined && (
        <p role="alert" className="error">
          {problemCode(failure) === 'IMEI_TAKEN' ? t.admin.imeiTaken : describeError(failure, t)}
        </p>
      )}

      {devices === undefined ? (
        <p aria-busy="true">{t.app.loading}</p>
      ) : (
        <div className="table-scroll-x">
          <table className="admin-table" aria-busy={busy}>
            <caption className="visually-hidden">{t.admin.devices}</caption>
            <thead>
              <tr>
                <th scope="col">{t.admin.deviceName}</th>
                <th scope="col">{t.admin.imei}</th>
                <th scope="col">{t.admin.os}</th>
                <th scope="col">{t.admin.role}</th>
                <th scope="col">{t.admin.deviceStatus}</th>
                <th scope="col">{t.admin.tokenIssued}</th>
                <th scope="col">{t.admin.lastSeen}</th>
                <th scope="col">{t.admin.actions}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <tr key={device.id} data-device-id={device.id} data-imei={device.imei}>
                  <th scope="row">
                    {device.name}
                    {device.userName && <span className="muted"> ({device.userName})</span>}
                  </th>
                  <td>{device.imei}</td>
                  <td>{device.os === 'ios' ? 'iOS' : 'Android'}</td>
                  <td>{roles.find((role) => role.id === device.roleId)?.name ?? device.roleId}</td>
                  <td>
                    <span className={`badge device-${device.status}`}>
                      {t.admin.deviceStatuses[device.status]}
                    </span>
                  </td>
                  <td>{device.tokenIssuedAt ? formatDateTime(device.tokenIssuedAt) : t.app.none}</td>
                  <td>{device.lastSeenAt ? formatDateTime(device.lastSeenAt) : t.app.none}</td>
                  <td className="actions">
                    {device.status === 'active' && hasRight('ActionCreateDeviceToken') && (
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={t.admin.createTokenFor(device.name)}
                        onClick={() => void createToken(device)}
                      >
                        {t.admin.createToken}
                      </button>
                    )}
                    {device.status === 'active' && hasRight('ActionRevokeDevice') && (
                      <button
                        type="button"
                        className="danger"
                        disabled={busy}
                        aria-label={t.admin.revokeDevice(device.name)}
                        onClick={() => {
                          setReason('');
                          setRevoking(device);
                        }}
                      >
                        {t.admin.revoke}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
              {devices.length === 0 && (
                <tr>
                  <td colSpan={8}>{t.admin.noDevices}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}

      <TokenDialog grant={grant?.grant} device={grant?.device} onClose={() => setGrant(undefined)} />

      <Dialog
        open={revoking !== undefined}
        title={t.admin.revokeDevice(revoking?.name ?? '')}
        onClose={() => setRevoking(undefined)}
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const device = revoking;
            if (!device) return;
            setRevoking(undefined);
            void run(() =>
              client.POST('/devices/{deviceId}/revocation', {
                params: { path: { deviceId: device.id } },
                body: { reason: reason.trim() },
              }),
            );
          }}
        >
          <label>
            {t.admin.revokeReason}
            <textarea required value={reason} onChange={(event) => setReason(event.target.value)} />
          </label>
          <div className="dialog-actions">
            <button type="button" onClick={() => setRevoking(undefined)}>
              {t.app.cancel}
            </button>
            <button type="submit" className="danger">
              {t.admin.confirmRevoke}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
