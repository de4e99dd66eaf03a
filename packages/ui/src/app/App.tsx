/** The page shell: navigation, time controls, and the page the URL names. */
import { pages, pageFor } from './pages.tsx';
import { routeHref, useRoute } from './router.ts';
import { TimeControls } from '../components/TimeControls.tsx';

export function App() {
  const route = useRoute();
  const page = pageFor(route.path);
  const Page = page.component;
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/">
          Vigil
        </a>
        <nav aria-label="Main">
          {pages
            .filter((p) => p.nav)
            .map((p) => (
              <a key={p.path} href={routeHref(p.path)} aria-current={page.path === p.path ? 'page' : undefined}>
                {p.title}
              </a>
            ))}
        </nav>
        {page.timeControls && <TimeControls />}
      </header>
      <main>
        <Page route={route} />
      </main>
    </div>
  );
}
