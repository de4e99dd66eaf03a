/**
 * `vigil incident list [--state open|all]`, `vigil incident ack ID`,
 * `vigil incident resolve ID`, `vigil incident escalate ID`: incidents of a
 * running server, through its API.
 */
import { parseArgs } from 'node:util';

export const incidentUsage = `  vigil incident list [--state open|all] [--url URL]
  vigil incident ack ID [--by NAME] [--url URL]
  vigil incident resolve ID [--by NAME] [--url URL]
  vigil incident escalate ID [--by NAME] [--url URL]`;

interface IncidentRow {
  id: string;
  state: string;
  severity: string;
  summary: string;
  createdAt: string;
  acknowledgedBy?: string;
  resolvedBy?: string;
}

/** CLI word → the API's incident action. */
const ACTION_PATHS = new Map([
  ['ack', 'acknowledge'],
  ['resolve', 'resolve'],
  ['escalate', 'escalate'],
]);

const options = {
  url: { type: 'string', default: 'http://127.0.0.1:9700' },
  state: { type: 'string', default: 'open' },
  by: { type: 'string', default: process.env.USER ?? 'cli' },
} as const;

export async function incidentCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const [action, id, ...extra] = positionals;
  if (action === 'list' && id === undefined) return list(values.url, values.state);
  const path = action === undefined ? undefined : ACTION_PATHS.get(action);
  if (path === undefined || id === undefined || extra.length > 0) {
    console.error(`usage:\n${incidentUsage}`);
    return 2;
  }
  const incident = await call<IncidentRow>(`${values.url}/vigil/api/v1/incidents/${encodeURIComponent(id)}/${path}`, { by: values.by, via: 'cli' });
  console.log(`incident ${incident.id} is ${incident.state}`);
  return 0;
}

async function list(url: string, state: string): Promise<number> {
  const incidents = await call<IncidentRow[]>(`${url}/vigil/api/v1/incidents?state=${encodeURIComponent(state)}`);
  if (incidents.length === 0) {
    console.log(state === 'open' ? 'no open incidents' : 'no incidents');
    return 0;
  }
  console.log(['ID', 'STATE', 'SEVERITY', 'OPENED', 'BY', 'SUMMARY'].join('\t'));
  for (const i of incidents) console.log([i.id, i.state, i.severity, i.createdAt, i.resolvedBy ?? i.acknowledgedBy ?? '-', i.summary].join('\t'));
  return 0;
}

/** GET, or POST of `body` as JSON; the server's error message when it refuses. */
async function call<T>(url: string, body?: Record<string, string>): Promise<T> {
  const response = await fetch(url, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const text = await response.text();
  let parsed: { data?: T; error?: string } | undefined;
  try {
    parsed = JSON.parse(text) as { data?: T; error?: string };
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new Error(`the server answered ${response.status}: ${parsed?.error ?? text.trim()}`);
  return parsed!.data as T;
}
