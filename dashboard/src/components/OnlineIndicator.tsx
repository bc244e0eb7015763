import type { KatAppSocket } from '@katapp/client/ws';
import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n.js';

const offline = { get: () => false, subscribe: () => () => undefined };

/** Shows whether the live-update WebSocket is connected; announced politely when it changes. */
export function OnlineIndicator({ socket }: { socket: KatAppSocket | undefined }) {
  const { t } = useI18n();
  const source = socket?.online ?? offline;
  const online = useSyncExternalStore(
    (listener) => source.subscribe(listener),
    () => source.get(),
  );
  return (
    <output
      className={`online-indicator ${online ? 'is-online' : 'is-offline'}`}
      aria-live="polite"
      data-online={online}
      title={online ? t.nav.liveOnlineLabel : t.nav.liveOfflineLabel}
    >
      <span className="online-dot" aria-hidden="true" />
      <span aria-hidden="true">{online ? t.nav.liveOnline : t.nav.liveOffline}</span>
      <span className="visually-hidden">{online ? t.nav.liveOnlineLabel : t.nav.liveOfflineLabel}</span>
    </output>
  );
}
