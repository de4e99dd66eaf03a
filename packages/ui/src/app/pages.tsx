/**
 * The pages, by path prefix. Each page folder under pages/ exports its
 * component; a page gets the current route (path and URL parameters).
 */
import type { ComponentType } from 'react';
import type { Route } from './router.ts';
import { ExplorePage } from '../pages/explore/ExplorePage.tsx';
import { DashboardsPage } from '../pages/dashboards/DashboardsPage.tsx';
import { AlertsPage } from '../pages/alerts/AlertsPage.tsx';
import { SilencesPage } from '../pages/alerts/SilencesPage.tsx';
import { RulesPage } from '../pages/alerts/RulesPage.tsx';
import { IncidentsPage } from '../pages/oncall/IncidentsPage.tsx';
import { OncallPage } from '../pages/oncall/OncallPage.tsx';

export interface PageProps {
  route: Route;
}

export interface PageEntry {
  path: string;
  title: string;
  component: ComponentType<PageProps>;
  nav: boolean;
  timeControls: boolean;
}

export const pages: PageEntry[] = [
  { path: '/explore', title: 'Explore', component: ExplorePage, nav: true, timeControls: true },
  { path: '/dashboards', title: 'Dashboards', component: DashboardsPage, nav: true, timeControls: true },
  { path: '/alerts', title: 'Alerts', component: AlertsPage, nav: true, timeControls: false },
  { path: '/silences', title: 'Silences', component: SilencesPage, nav: true, timeControls: false },
  { path: '/rules', title: 'Rules', component: RulesPage, nav: true, timeControls: false },
  { path: '/incidents', title: 'Incidents', component: IncidentsPage, nav: true, timeControls: false },
  { path: '/oncall', title: 'On call', component: OncallPage, nav: true, timeControls: false },
];

/** `/` shows the dashboards list; `/dashboards/x` belongs to `/dashboards`. */
export function pageFor(path: string): PageEntry {
  const normalized = path === '/' ? '/dashboards' : path;
  return pages.find((p) => normalized === p.path || normalized.startsWith(`${p.path}/`)) ?? pages[1];
}
