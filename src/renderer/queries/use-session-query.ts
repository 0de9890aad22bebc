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

export interface SessionQueryOptions {
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
}

/** How many answers each named cache keeps (the most recently used). */
export const ANSWER_CACHE_SIZE = 16;
/** Per session (a new connection never sees another's answers), per name, by arguments. */
const answerCaches = new WeakMap<RendererSession, Map<string, Map<string, unknown>>>();

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
  if (!c?.has(key)) return undefined;
  const answer = c.get(key);
  // most recently used last
  c.delete(key);
  c.set(key, answer);
  return { answer };
}

function remember(
  session: RendererSession,
  name: string | undefined,
  key: string,
  answer: unknown,
): void {
  const c = cacheOf(session, name, true);
  if (!c) return;
  c.delete(key);
  c.set(key, answer);
  while (c.size > ANSWER_CACHE_SIZE) c.delete(c.keys().next().value!);
}

type Request<A> = { session: RendererSession; a: A; key: string };

/**
 * A session query that follows its arguments: whenever they change, a new call is made.
 * Answers are marked raw: they hold typed arrays and are never mutated, so deep reactivity
 * would only cost time.
 */
export function useSessionQuery<A, R>(
  args: () => A | undefined,
  run: (session: RendererSession, args: A, signal: AbortSignal) => Promise<R>,
  options: SessionQueryOptions = {},
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
    run(request.session, request.a, controller.signal).then(
      (answer) => {
        if (!controller.signal.aborted) remember(request.session, options.cache, mine.key, answer);
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
      return { session, a, key: `${recording.generation}|${JSON.stringify(a)}` };
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
