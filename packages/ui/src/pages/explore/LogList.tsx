/** Log lines, newest first; each expands to its labels and JSON fields, with request/trace ids as pivot links. */
import { useState } from 'react';
import { routeHref } from '../../app/router.ts';
import { formatLogTime, pivotFields, pivotQuery, type LogLine } from './log-lines.ts';

interface Props {
  lines: LogLine[];
  /** The current URL parameters: pivots keep the time range and the rest. */
  params: URLSearchParams;
}

export function LogList({ lines, params }: Props) {
  if (lines.length === 0) return <p className="muted">No log lines match this query in the selected time range.</p>;
  return (
    <ol className="log-list" aria-label="Log lines">
      {lines.map((line) => (
        <LogRow key={line.key} line={line} params={params} />
      ))}
    </ol>
  );
}

function LogRow({ line, params }: { line: LogLine; params: URLSearchParams }) {
  const [open, setOpen] = useState(false);
  const severity = line.severity;
  return (
    <li className="log-row">
      <button type="button" className="log-toggle" aria-expanded={open} aria-label={open ? 'Hide details' : 'Show details'} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'}
      </button>
      <time className="log-time muted">{formatLogTime(line.tsNs)}</time>
      <span className={`log-severity ${severity ? `severity-${severity.level}` : 'muted'}`}>{severity?.text ?? '—'}</span>
      <span className="log-line">{line.line}</span>
      {open && (
        <div className="log-details">
          <Fields title="Labels" values={line.labels} line={line} params={params} />
          {Object.keys(line.fields).length > 0 && <Fields title="Fields" values={line.fields} line={line} params={params} />}
        </div>
      )}
    </li>
  );
}

function Fields({ title, values, line, params }: { title: string; values: Record<string, string>; line: LogLine; params: URLSearchParams }) {
  return (
    <table className="log-fields">
      <caption>{title}</caption>
      <tbody>
        {Object.entries(values).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{isPivot(name) ? <a href={pivotHref(params, pivotQuery(value))} title={`All lines of ${name} ${value}`}>{value}</a> : value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const isPivot = (name: string) => (pivotFields as readonly string[]).includes(name);

function pivotHref(params: URLSearchParams, query: string): string {
  const next = new URLSearchParams(params);
  next.set('mode', 'logs');
  next.set('query', query);
  return routeHref('/explore', next);
}
