import type { PageProps } from '../../app/pages.tsx';

/** PLACEHOLDER — being written. */
export function AlertsPage(_props: PageProps) {
  return <p>AlertsPage</p>;
}
