import type { PageProps } from '../../app/pages.tsx';

/** PLACEHOLDER — being written. */
export function SilencesPage(_props: PageProps) {
  return <p>SilencesPage</p>;
}
