import type { PageProps } from '../../app/pages.tsx';

/** PLACEHOLDER — being written. */
export function ExplorePage(_props: PageProps) {
  return <p>ExplorePage</p>;
}
