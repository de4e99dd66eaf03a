/** The list of dashboards: title, description, tags; a broken file with its error. */
import { dashboardList } from '../../api/client.ts';
import { routeHref } from '../../app/router.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useRefreshTick } from '../../components/TimeControls.tsx';
import { useLoad } from './use-load.ts';

export function DashboardList() {
  const tick = useRefreshTick();
  const list = useLoad(`list:${tick}`, dashboardList);
  return (
    <div className="dash-list-page">
      <h1>Dashboards</h1>
      {list.status === 'loading' && <p className="muted">Loading…</p>}
      {list.status === 'error' && <ErrorMessage error={list.error} />}
      {list.status === 'done' && list.value.length === 0 && (
        <p className="muted">No dashboards. Add YAML or JSON files to a dashboards folder (see docs/reference/dashboards.md).</p>
      )}
      {list.status === 'done' && list.value.length > 0 && (
        <ul className="dash-list">
          {list.value.map((d) => (
            <li key={d.id} className="panel">
              {d.error ? <strong>{d.title}</strong> : <a href={routeHref(`/dashboards/${encodeURIComponent(d.id)}`)}>{d.title}</a>}
              {d.description && <p className="muted">{d.description}</p>}
              {d.tags.length > 0 && (
                <ul className="dash-tags" aria-label="Tags">
                  {d.tags.map((tag) => (
                    <li key={tag}>{tag}</li>
                  ))}
                </ul>
              )}
              {d.error && (
                <p className="error" role="alert">
                  <strong>Broken dashboard file:</strong> {d.error}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
