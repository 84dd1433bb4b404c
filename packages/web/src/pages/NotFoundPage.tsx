import { useT } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';

export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <h1 tabIndex={-1}>{t.notFound.title}</h1>
      <p className="fr-text--lead">{t.notFound.body}</p>
      <Link className="fr-btn" href="/">
        {t.notFound.back}
      </Link>
    </>
  );
}
