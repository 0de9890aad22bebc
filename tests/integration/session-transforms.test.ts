import { describe, expect, it } from 'vitest';
import type { Filters } from '../../src/shared/contract';
import { context, openFixture } from '../support/session';

/**
 * Transforms, the call tree and the search list through the session service, as a client calls
 * them: what the service's request checks keep must reach the queries.
 */
describe('the session service with transforms', () => {
  it('every query takes the transforms, the call tree and its node details', async () => {
    const service = await openFixture('real/fp-recurse/perf.data');
    const ctx = context();
    const drop: Filters = { transforms: [{ kind: 'drop-function', name: 'fib' }] };
    const all = await service.flameGraph({ filters: {}, width: 1000 }, ctx);
    const dropped = await service.flameGraph({ filters: drop, width: 1000 }, ctx);
    expect(dropped.rootTotal).toBeLessThan(all.rootTotal);
    const tree = await service.callTree({ filters: drop, expanded: [] }, ctx);
    expect(tree.total).toBe(dropped.rootTotal);
    const top = await service.topFunctions({ filters: drop, limit: 100 }, ctx);
    expect(top.rows.map((r) => r.name)).not.toContain('fib');
    const timeline = await service.timeline(
      { filters: drop, bins: 10, weight: 'period', highlight: { path: [tree.func[0]!] } },
      ctx,
    );
    const sum = (b: Float64Array | undefined) => [...(b ?? [])].reduce((x, y) => x + y, 0);
    expect(sum(timeline.rows[0]!.bins)).toBe(dropped.rootTotal);
    const node = await service.callNode({ filters: drop, path: [tree.func[0]!] }, ctx);
    expect(sum(timeline.rows[0]!.highlight)).toBe(node.total);
    expect(node.total).toBe(tree.nodeTotal[0]);
  });

  it('the search list finds functions by pattern', async () => {
    const service = await openFixture('real/fp-recurse/perf.data');
    const top = await service.topFunctions(
      { filters: {}, limit: 10, sortBy: 'total', search: '^recurse_' },
      context(),
    );
    expect(top.rows.map((r) => r.name).sort()).toEqual(['recurse_a', 'recurse_b']);
  });

  it('refuses malformed transforms and call tree requests, naming them', async () => {
    const service = await openFixture('real/fp-recurse/perf.data');
    const ctx = context();
    await expect(
      service.flameGraph(
        { filters: { transforms: [{ kind: 'nope', name: 'x' }] as never }, width: 10 },
        ctx,
      ),
    ).rejects.toThrow(/filters.transform 0: unknown kind "nope"/);
    await expect(service.callTree({ filters: {}, expanded: 'all' as never }, ctx)).rejects.toThrow(
      /expanded must be a list/,
    );
    await expect(service.callNode({ filters: {}, path: [-1] }, ctx)).rejects.toThrow(
      /call node path/,
    );
  });
});
