import type { PageProps } from '../../app/pages.tsx';

/** PLACEHOLDER — being written. */
export function DashboardsPage(_props: PageProps) {
  return <p>DashboardsPage</p>;
}
