import { useCallback, useEffect, useRef, useState } from 'react';
import { type AccessHistoryPage, type ActorType, fetchAccessHistory } from '../../api/access-history.ts';
import { ApiError } from '../../api/http.ts';
import { useSession } from '../../session/session.tsx';

const PAGE_SIZE = 20;

/**
 * The patient's access history, newest first: the first page for the chosen kind of actor, then
 * older pages on demand. A new filter starts over; answers to an older filter are dropped.
 */
export function useAccessHistory(patientId: string, actorType: ActorType | undefined) {
  const { refresh } = useSession();
  const [history, setHistory] = useState<AccessHistoryPage | undefined>();
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);

  const fail = useCallback(
    (caught: unknown) => {
      setError(caught);
      // The session ended meanwhile: refreshing it turns the page into its login prompt.
      if (caught instanceof ApiError && caught.status === 401) void refresh().catch(() => undefined);
    },
    [refresh],
  );

  useEffect(() => {
    const current = ++generation.current;
    setHistory(undefined);
    setError(undefined);
    fetchAccessHistory(patientId, { actorType, limit: PAGE_SIZE })
      .then((page) => current === generation.current && setHistory(page))
      .catch((caught: unknown) => current === generation.current && fail(caught));
  }, [patientId, actorType, attempt, fail]);

  /** Loads the next older page; resolves to the seq of its first entry, to move focus there. */
  async function loadMore(): Promise<number | undefined> {
    if (history?.nextBefore == null) return undefined;
    const current = generation.current;
    setLoadingMore(true);
    setError(undefined);
    try {
      const page = await fetchAccessHistory(patientId, { actorType, before: history.nextBefore, limit: PAGE_SIZE });
      if (current !== generation.current) return undefined;
      setHistory({ entries: [...history.entries, ...page.entries], nextBefore: page.nextBefore });
      return page.entries[0]?.seq;
    } catch (caught) {
      if (current === generation.current) fail(caught);
      return undefined;
    } finally {
      setLoadingMore(false);
    }
  }

  return { history, error, loadingMore, loadMore, retry: () => setAttempt((n) => n + 1) };
}
