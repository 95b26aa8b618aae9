import { type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

/**
 * A tiny history-based router: the current pathname is external state, `navigate` pushes (or
 * replaces) a history entry and notifies subscribers. No nested routes, no params beyond the path.
 */
const changeEvent = 'tongchou:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace === true) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(changeEvent));
}

type LinkProps = {
  to: string;
  children: ReactNode;
  className?: string;
  'data-testid'?: string;
};

/** An ordinary <a href> (so open-in-new-tab works) that navigates in-app on a plain click. */
export function Link({ to, children, className, 'data-testid': testId }: LinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} data-testid={testId}>
      {children}
    </a>
  );
}
