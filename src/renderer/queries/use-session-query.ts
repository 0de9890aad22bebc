import { markRaw, onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { messageOf, useRecordingStore } from '../stores/recording';
import type { RendererSession } from './renderer-session';

export interface SessionQuery<R> {
  /** The latest answer (kept while a newer one is on its way, so views never go blank). */
  data: ShallowRef<R | undefined>;
  /** Why the latest query failed, shown in place by the view. */
  error: Ref<string | undefined>;
  pending: Ref<boolean>;
}

export interface SessionQueryOptions<A = unknown> {
  /**
   * `replace` (default): a change cancels the running call; only the newest answer counts.
   * `coalesce`: at most one call runs; changes meanwhile collapse into one follow-up call, and
   * the running call's answer is still shown (for views that can draw any answer, such as the
   * timeline while panning, this keeps the session from queueing work nobody will see).
   */
  mode?: 'replace' | 'coalesce';
  /**
   * The name of an answer cache shared by every query of that name (every mount of a view):
   * arguments answered before (in this session) are answered from it at once, without a call,
   * so a tab or a row opened again shows its answer in the same frame.
   */
  cache?: string;
  /**
   * With `cache`: what makes cached answers alike enough to stand in (say, the same thread and
   * filters at another range or width). A view with nothing on screen shows the latest alike
   * answer at once, drawn in its own view, until the exact one arrives.
   */
  alike?: (args: A) => unknown;
}

/** How many answers each named cache keeps (the most recently used). */
export const ANSWER_CACHE_SIZE = 16;
interface CachedAnswer {
  answer: unknown;
  /** The `alike` key of its arguments. */
  alike: string | undefined;
}
/** Per session (a new connection never sees another's answers), per name, by arguments. */
const answerCaches = new WeakMap<RendererSession, Map<string, Map<string, CachedAnswer>>>();

function cacheOf(session: RendererSession, name: string | undefined, create: boolean) {
  if (!name) return undefined;
  let byName = answerCaches.get(session);
  if (!byName) {
    if (!create) return undefined;
    answerCaches.set(session, (byName = new Map()));
  }
  let c = byName.get(name);
  if (!c && create) byName.set(name, (c = new Map()));
  return c;
}

function cached(
  session: RendererSession,
  name: string | undefined,
  key: string,
): { answer: unknown } | undefined {
  const c = cacheOf(session, name, false);
  const hit = c?.get(key);
  if (!c || !hit) return undefined;
  // most recently used last
  c.delete(key);
  c.set(key, hit);
  return { answer: hit.answer };
}

/** The most recently used cached answer whose arguments are alike. */
function cachedAlike(
  session: RendererSession,
  name: string | undefined,
  alike: string | undefined,
): { answer: unknown } | undefined {
  const c = cacheOf(session, name, false);
  if (!c || alike === undefined) return undefined;
  let found: CachedAnswer | undefined;
  for (const entry of c.values()) if (entry.alike === alike) found = entry;
  return found && { answer: found.answer };
}

function remember(
  session: RendererSession,
  name: string | undefined,
  key: string,
  answer: unknown,
  alike: string | undefined,
): void {
  const c = cacheOf(session, name, true);
  if (!c) return;
  c.delete(key);
  c.set(key, { answer, alike });
  while (c.size > ANSWER_CACHE_SIZE) c.delete(c.keys().next().value!);
}

/** The cache key of a query's arguments: a new recording (generation) never sees old answers. */
const keyOf = (generation: number, a: unknown): string => `${generation}|${JSON.stringify(a)}`;
const alikeOf = <A>(
  options: { alike?: (args: A) => unknown },
  generation: number,
  a: A,
): string | undefined => (options.alike ? keyOf(generation, options.alike(a)) : undefined);

/** Prefetches under way, per session, by cache name and key: a query asking the same waits. */
const prefetching = new WeakMap<RendererSession, Map<string, Promise<unknown>>>();
function prefetchesOf(session: RendererSession): Map<string, Promise<unknown>> {
  let m = prefetching.get(session);
  if (!m) prefetching.set(session, (m = new Map()));
  return m;
}

type Request<A> = { session: RendererSession; a: A; key: string; alike: string | undefined };

/**
 * A session query that follows its arguments: whenever they change, a new call is made.
 * Answers are marked raw: they hold typed arrays and are never mutated, so deep reactivity
 * would only cost time.
 */
export function useSessionQuery<A, R>(
  args: () => A | undefined,
  run: (session: RendererSession, args: A, signal: AbortSignal) => Promise<R>,
  options: SessionQueryOptions<A> = {},
): SessionQuery<R> {
  const recording = useRecordingStore();
  const data = shallowRef<R>();
  const error = ref<string>();
  const pending = ref(false);
  const coalesce = options.mode === 'coalesce';
  let running: { controller: AbortController; key: string } | undefined;
  let queued: Request<A> | undefined;
  let wantedKey: string | undefined;

  const start = (request: Request<A>): void => {
    const controller = new AbortController();
    const mine = { controller, key: request.key };
    running = mine;
    pending.value = true;
    const settle = (): void => {
      if (running !== mine) return;
      running = undefined;
      const next = queued;
      queued = undefined;
      if (next && next.key === wantedKey) start(next);
      else pending.value = false;
    };
    // the same question already asked in the background: its answer, not a second call
    const prefetch = options.cache
      ? prefetchesOf(request.session).get(`${options.cache}|${request.key}`)
      : undefined;
    const call = prefetch
      ? (prefetch as Promise<R>).catch(() => run(request.session, request.a, controller.signal))
      : run(request.session, request.a, controller.signal);
    call.then(
      (answer) => {
        if (!controller.signal.aborted)
          remember(request.session, options.cache, mine.key, answer, request.alike);
        if (!controller.signal.aborted && (coalesce || mine.key === wantedKey)) {
          data.value = answer && typeof answer === 'object' ? markRaw(answer) : answer;
          error.value = undefined;
        }
        settle();
      },
      (e: unknown) => {
        if (!controller.signal.aborted && mine.key === wantedKey) error.value = messageOf(e);
        settle();
      },
    );
  };

  watch(
    () => {
      const session = recording.session;
      const a = session ? args() : undefined;
      if (!session || a === undefined) return undefined;
      const generation = recording.generation;
      return { session, a, key: keyOf(generation, a), alike: alikeOf(options, generation, a) };
    },
    (next) => {
      if (!next) {
        wantedKey = undefined;
        queued = undefined;
        running?.controller.abort();
        running = undefined;
        pending.value = false;
        return;
      }
      if (next.key === wantedKey) return;
      wantedKey = next.key;
      const hit = cached(next.session, options.cache, next.key);
      if (hit) {
        running?.controller.abort();
        running = undefined;
        queued = undefined;
        pending.value = false;
        data.value = hit.answer as R;
        error.value = undefined;
        return;
      }
      // nothing on screen yet: an alike answer stands in while this one is computed
      if (data.value === undefined) {
        const stand = cachedAlike(next.session, options.cache, next.alike);
        if (stand) data.value = stand.answer as R;
      }
      if (running && coalesce) {
        queued = next;
        return;
      }
      running?.controller.abort();
      running = undefined;
      queued = undefined;
      start(next);
    },
    { immediate: true },
  );
  onScopeDispose(() => running?.controller.abort());
  return { data, error, pending };
}

/**
 * Asks the session in the background for what a view not shown yet will ask first, into the
 * answer cache `cache`, so the view answers from the cache when it opens. Asks once the
 * arguments have rested `restMs` (never during a gesture), not when the cache has the answer;
 * other arguments cancel the call, none (`args` undefined: not wanted now) let it finish.
 */
export function usePrefetch<A, R>(
  args: () => A | undefined,
  run: (session: RendererSession, args: A, signal: AbortSignal) => Promise<R>,
  options: { cache: string; restMs: number; alike?: (args: A) => unknown },
): void {
  const recording = useRecordingStore();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | undefined;
  const stop = (): void => {
    clearTimeout(timer);
    running?.abort();
    running = undefined;
  };
  watch(
    () => {
      const session = recording.session;
      const a = session ? args() : undefined;
      return session && a !== undefined
        ? { session, a, key: keyOf(recording.generation, a), generation: recording.generation }
        : undefined;
    },
    (next, before) => {
      if (next?.key === before?.key) return;
      clearTimeout(timer);
      // not wanted any more (the view opened): a running call still fills the cache
      if (!next) return;
      running?.abort();
      running = undefined;
      if (cached(next.session, options.cache, next.key)) return;
      timer = setTimeout(() => {
        const controller = (running = new AbortController());
        const call = run(next.session, next.a, controller.signal);
        const prefetches = prefetchesOf(next.session);
        const slot = `${options.cache}|${next.key}`;
        prefetches.set(slot, call);
        const done = (): void => {
          if (prefetches.get(slot) === call) prefetches.delete(slot);
        };
        call.then(done, done);
        call.then(
          (answer) => {
            if (controller.signal.aborted) return;
            running = undefined;
            const alike = alikeOf(options, next.generation, next.a);
            remember(next.session, options.cache, next.key, answer, alike);
          },
          // a background call: the view asks again, and shows the error, when it opens
          () => {
            if (running === controller) running = undefined;
          },
        );
      }, options.restMs);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
}
