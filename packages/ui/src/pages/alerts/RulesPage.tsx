import type { PageProps } from '../../app/pages.tsx';

/** PLACEHOLDER — being written. */
export function RulesPage(_props: PageProps) {
  return <p>RulesPage</p>;
}
