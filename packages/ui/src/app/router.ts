/**
 * Hash routing: `#/explore?query=…&from=now-1h`. Every view's state lives in
 * the URL, so a link (e.g. from a notification) reproduces the view, and the
 * server needs no fallback route.
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** e.g. "/explore", "/dashboards/service-overview". */
  path: string;
  params: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?', 2);
  return { path: path || '/', params: new URLSearchParams(query) };
}

export function routeHref(path: string, params?: URLSearchParams | Record<string, string>): string {
  const query = params === undefined ? '' : new URLSearchParams(params).toString();
  return `#${path}${query ? `?${query}` : ''}`;
}

/** Changes the URL; `replace` keeps typing in a query box out of the back-button history. */
export function navigate(path: string, params?: URLSearchParams | Record<string, string>, replace = false): void {
  const href = routeHref(path, params);
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Replaces some parameters of the current route, keeping the others. */
export function setParams(changes: Record<string, string | undefined>, replace = true): void {
  const route = currentRoute();
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '') route.params.delete(name);
    else route.params.set(name, value);
  }
  navigate(route.path, route.params, replace);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
