// A small history-API router. The CloudFront distribution and the local site server return index.html for
// every unknown path, so deep links such as /disasters/{id} load the app.
import { type AnchorHTMLAttributes, type MouseEvent, useCallback, useSyncExternalStore } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'disaster'; disasterId: string }
  | { name: 'admin'; section: 'users' | 'devices' | 'audit' }
  | { name: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === '/login') return { name: 'login' };
  if (path === '/register') return { name: 'register' };
  const disaster = /^\/disasters\/([0-9a-fA-F-]{36})$/.exec(path);
  if (disaster?.[1]) return { name: 'disaster', disasterId: disaster[1].toLowerCase() };
  const admin = /^\/admin(?:\/(users|devices|audit))?$/.exec(path);
  if (admin)
    return { name: 'admin', section: (admin[1] as 'users' | 'devices' | 'audit' | undefined) ?? 'users' };
  return { name: 'not-found', path };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'home':
      return '/';
    case 'login':
      return '/login';
    case 'register':
      return '/register';
    case 'disaster':
      return `/disasters/${route.disasterId}`;
    case 'admin':
      return `/admin/${route.section}`;
    case 'not-found':
      return route.path;
  }
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** Renders an <a> that navigates without reloading; modified clicks (new tab, new window) keep the browser default. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handleClick = useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(event);
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      event.preventDefault();
      navigate(href);
    },
    [href, onClick],
  );
  return <a href={href} onClick={handleClick} {...rest} />;
}
