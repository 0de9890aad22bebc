/** Where this tab keeps the served mode's token between reloads (per origin: per port). */
const STORAGE_KEY = 'perfws-token';

/**
 * The served mode's per-run token. The printed URL carries it; on that first load it moves into
 * this tab's session storage and out of the URL (`history.replaceState`), so it stays out of the
 * address bar, the history, bookmarks and screenshots. A reload finds it in the storage: the page
 * itself then loads with the server's cookie, which is good for the page's files only.
 */
export function takeServedToken(
  location: Pick<Location, 'href'>,
  history: Pick<History, 'replaceState' | 'state'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (!fromUrl) return storage.getItem(STORAGE_KEY) ?? '';
  storage.setItem(STORAGE_KEY, fromUrl);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromUrl;
}
