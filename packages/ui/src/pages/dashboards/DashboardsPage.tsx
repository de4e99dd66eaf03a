/**
 * Dashboards as code: `#/dashboards` lists the dashboard files Vigil serves,
 * `#/dashboards/<id>` shows one, its variables kept in the URL as `var-<name>`.
 */
import type { PageProps } from '../../app/pages.tsx';
import { DashboardList } from './DashboardList.tsx';
import { DashboardView } from './DashboardView.tsx';
import './dashboards.css';

export function DashboardsPage({ route }: PageProps) {
  const id = /^\/dashboards\/(.+)$/.exec(route.path)?.[1];
  return id === undefined ? <DashboardList /> : <DashboardView key={id} id={decodeURIComponent(id)} params={route.params} />;
}
