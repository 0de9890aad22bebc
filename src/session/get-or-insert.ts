/** What getOrInsertComputed needs of a map: Map and WeakMap both have it. */
interface CacheMap<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/**
 * The value of `key` in a cache map, computed and stored on first use: the TC39
 * `Map.prototype.getOrInsertComputed` (not in Node 20). The values are never undefined.
 */
export function getOrInsertComputed<K, V>(map: CacheMap<K, V>, key: K, compute: (key: K) => V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  const value = compute(key);
  map.set(key, value);
  return value;
}
