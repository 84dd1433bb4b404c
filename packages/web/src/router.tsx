import { type AnchorHTMLAttributes, useSyncExternalStore } from 'react';

/**
 * Client-side navigation on the History API. The server answers every app path with index.html,
 * so a reload or a shared link lands on the same page.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(href: string) {
  window.history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The address's query string: pages whose filters live in the address re-render when it changes. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** A link that navigates inside the app; modified clicks (new tab, new window) stay native. */
export function Link({ href = '/', onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      href={href}
      onClick={(event) => {
        onClick?.(event);
        // /api/… links (an identity provider's login) leave the app: the browser navigates.
        const internal = href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/api/');
        if (event.defaultPrevented || !internal || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}
