import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type DocumentFolder,
  type DocumentList,
  fetchDocuments,
  fetchFolders,
  fetchStays,
  type HospitalStay,
} from '../../api/documents.ts';
import { ApiError } from '../../api/http.ts';
import { useSession } from '../../session/session.tsx';
import type { ListFilter } from './list-filter.ts';

const PAGE_SIZE = 50;

/** Calls the session back when the API says it ended, so that the page turns into its login prompt. */
export function useSessionExpiry() {
  const { refresh } = useSession();
  return useCallback(
    (caught: unknown) => {
      if (caught instanceof ApiError && caught.status === 401) void refresh().catch(() => undefined);
    },
    [refresh],
  );
}

/**
 * The holder's documents for a filter, newest first, a page at a time; a new filter starts over
 * and answers to an older one are dropped.
 */
export function useDocumentList(patientId: string, filter: ListFilter) {
  const expired = useSessionExpiry();
  const [list, setList] = useState<DocumentList | undefined>();
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const key = JSON.stringify(filter);

  useEffect(() => {
    const current = ++generation.current;
    setError(undefined);
    fetchDocuments(patientId, { ...(JSON.parse(key) as ListFilter), limit: PAGE_SIZE })
      .then((page) => current === generation.current && setList(page))
      .catch((caught: unknown) => {
        if (current !== generation.current) return;
        setList(undefined);
        setError(caught);
        expired(caught);
      });
  }, [patientId, key, attempt, expired]);

  /** Loads the next page; resolves to the id of its first document, to move focus there. */
  async function loadMore(): Promise<string | undefined> {
    if (list?.next == null) return undefined;
    const current = generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchDocuments(patientId, { ...filter, cursor: list.next, limit: PAGE_SIZE });
      if (current !== generation.current) return undefined;
      setList({ documents: [...list.documents, ...page.documents], next: page.next, counts: page.counts });
      return page.documents[0]?.id;
    } catch (caught) {
      if (current === generation.current) setError(caught);
      return undefined;
    } finally {
      setLoadingMore(false);
    }
  }

  return { list, error, loadingMore, loadMore, reload: () => setAttempt((n) => n + 1) };
}

/** The holder's folders and hospital stays, reloaded after each change. */
export function usePlaces(patientId: string) {
  const expired = useSessionExpiry();
  const [folders, setFolders] = useState<DocumentFolder[]>([]);
  const [stays, setStays] = useState<HospitalStay[]>([]);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([fetchFolders(patientId), fetchStays(patientId)])
      .then(([f, s]) => {
        if (!live) return;
        setFolders(f);
        setStays(s);
      })
      .catch(expired);
    return () => {
      live = false;
    };
  }, [patientId, attempt, expired]);

  return { folders, stays, reload: () => setAttempt((n) => n + 1) };
}
