/**
 * Loads once, again whenever `key` changes or `refresh()` is called, and
 * every `everyMs` while the tab is visible — the alerting pages' own timer,
 * independent of the time picker's auto-refresh.
 */
import { useCallback, useEffect, useState } from 'react';

export interface Polled<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  refresh: () => void;
}

export function usePolled<T>(load: () => Promise<T>, key: string, everyMs = 30_000): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => !cancelled && setState({ data, loading: false }),
      (error: unknown) => !cancelled && setState({ error, loading: false }),
    );
    return () => {
      cancelled = true;
    };
    // `load` is a new closure each render; `key` names what it loads
  }, [key, tick]);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, refresh };
}
