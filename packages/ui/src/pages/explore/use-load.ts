/** Runs an API call when its inputs change; a late answer to an older call is dropped. */
import { useEffect, useState } from 'react';

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
}

/** `load` undefined means nothing to run (e.g. an empty query). Data stays while a refresh loads, so charts don't blink. */
export function useLoad<T>(load: (() => Promise<T>) | undefined, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: false });
  useEffect(() => {
    if (!load) {
      setState({ loading: false });
      return;
    }
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
    // The caller names what the call depends on, as with useEffect.
  }, deps);
  return state;
}
