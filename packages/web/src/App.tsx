import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { useEffect, useRef } from 'react';
import { AppFooter } from './components/AppFooter.tsx';
import { AppHeader } from './components/AppHeader.tsx';
import { useT } from './i18n/i18n.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SectionPage } from './pages/SectionPage.tsx';
import { AccessHistoryPage } from './pages/access-history/AccessHistoryPage.tsx';
import { useCareTeamPage } from './pages/care-team/care-team-pages.tsx';
import { useDocumentsPage } from './pages/documents/documents-pages.tsx';
import { useIdentityPage } from './pages/identity-pages.tsx';
import { usePathname } from './router.tsx';
import { ACCESS_HISTORY_PATH, SECTIONS } from './sections.ts';
import { showsPatientSpace, useSession } from './session/session.tsx';

function usePage(pathname: string) {
  const t = useT();
  const path = pathname.replace(/\/+$/, '');
  const identityPage = useIdentityPage(path);
  const documentsPage = useDocumentsPage(path);
  const careTeamPage = useCareTeamPage(path);
  if (pathname === '/') return { title: 'Carnet', element: <HomePage /> };
  if (identityPage !== undefined) return { title: `${identityPage.title} — Carnet`, element: identityPage.element };
  if (documentsPage !== undefined) return documentsPage;
  if (careTeamPage !== undefined) return careTeamPage;
  if (path === ACCESS_HISTORY_PATH) return { title: `${t.accessHistory.title} — Carnet`, element: <AccessHistoryPage /> };
  const section = SECTIONS.find((s) => s.path === path);
  if (section !== undefined) {
    return { title: `${t.sections[section.key]} — Carnet`, element: <SectionPage section={section.key} /> };
  }
  return { title: `${t.notFound.title} — Carnet`, element: <NotFoundPage /> };
}

export function App() {
  const t = useT();
  const pathname = usePathname();
  const page = usePage(pathname);
  const { me } = useSession();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = page.title;
  }, [page.title]);

  useEffect(() => {
    // After a client-side navigation, move focus to the new page's heading so that screen reader
    // users hear where they are (on first load the browser's own focus order applies).
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [pathname]);

  return (
    <>
      <SkipLinks
        links={[
          { label: t.skipToContent, anchor: '#content' },
          // The header has no menu for accounts that open no patient's space.
          ...(showsPatientSpace(me) ? [{ label: t.skipToMenu, anchor: '#header-main-navigation' }] : []),
          { label: t.skipToFooter, anchor: '#footer' },
        ]}
      />
      <AppHeader pathname={pathname} />
      <main id="content" ref={main} className="fr-container fr-my-6w" tabIndex={-1}>
        {page.element}
      </main>
      <AppFooter />
    </>
  );
}
