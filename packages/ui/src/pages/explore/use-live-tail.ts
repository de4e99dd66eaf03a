/**
 * Live tail: a WebSocket to Loki's /loki/api/v1/tail on the same host,
 * open while `enabled`, collecting new lines newest first. Closed on
 * toggle-off, on a new query and on unmount.
 */
import { useEffect, useState } from 'react';
import type { LogStream } from '../../api/client.ts';
import { linesOf, mergeLines, type LogLine } from './log-lines.ts';

/** Live lines kept in memory; older ones scroll away. */
const maxLiveLines = 1000;

export interface LiveTail {
  lines: LogLine[];
  /** Why the tail stopped, when it was not the user's doing. */
  error?: string;
}

export function tailUrl(query: string, startMs: number): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const params = new URLSearchParams({ query, start: `${startMs}000000` });
  return `${scheme}://${window.location.host}/loki/api/v1/tail?${params}`;
}

export function useLiveTail(query: string, enabled: boolean): LiveTail {
  const [tail, setTail] = useState<LiveTail>({ lines: [] });
  useEffect(() => {
    setTail({ lines: [] });
    if (!enabled || !query) return;
    // Lines from now on: the list above already holds the older ones.
    const socket = new WebSocket(tailUrl(query, Date.now()));
    let stopped = false;
    const fail = (error: string) => {
      if (!stopped) setTail((t) => ({ lines: t.lines, error: t.error ?? error }));
      stopped = true;
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { streams?: LogStream[] };
      const lines = linesOf(message.streams ?? []);
      if (lines.length > 0) setTail((t) => ({ ...t, lines: mergeLines(lines, t.lines, maxLiveLines) }));
    };
    socket.onerror = () => fail('Live tail failed: cannot keep a WebSocket open to Vigil.');
    socket.onclose = (event) =>
      fail(event.reason ? `Live tail stopped: ${event.reason}` : 'Live tail stopped: the connection to Vigil closed.');
    return () => {
      stopped = true;
      socket.close();
    };
  }, [query, enabled]);
  return tail;
}
