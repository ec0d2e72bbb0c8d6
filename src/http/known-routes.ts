import { TrieRouter } from 'hono/router/trie-router';

/**
 * Whether some route of the app serves this path (any method), read from the app's own route table
 * on first use, so signed-out requests for paths nobody serves get 404 instead of the login page.
 */
export function routeMatcher(app: { routes: readonly { method: string; path: string }[] }): (path: string) => boolean {
  let router: TrieRouter<true> | null = null;
  return (path) => {
    if (!router) {
      router = new TrieRouter<true>();
      // app.use() middleware registers as ALL; only real routes say which paths exist.
      for (const route of app.routes) if (route.method !== 'ALL') router.add('GET', route.path, true);
    }
    return router.match('GET', path)[0].length > 0;
  };
}
