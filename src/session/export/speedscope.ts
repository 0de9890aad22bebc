import type { Profile } from '../../shared/model';
import { stackGroups } from '../query/stack-groups';
import { exportFrameName, keepsFunc } from './frame-names';
import type { ExportOptions } from './pprof';

/** speedscope's file format (https://www.speedscope.app/file-format-schema.json), what we write of it. */
export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: { name: string; file?: string }[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: 'nanoseconds' | 'none';
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

/**
 * The filtered samples of one event as a speedscope file: one sampled profile per thread (its
 * stacks root first, one per distinct stack with the summed period as weight), frames shared
 * between them (one per function: name and library).
 */
export function speedscopeFile(profile: Profile, options: ExportOptions): SpeedscopeFile {
  const { filters, stacks, groups, transformed } = stackGroups(profile, options.filters);
  const event = profile.events[filters.event];
  const frames: SpeedscopeFile['shared']['frames'] = [];
  const frameIds = new Map<number, number>();
  const frameOf = (func: number): number => {
    let id = frameIds.get(func);
    if (id === undefined) {
      id = frames.length;
      const lib = func < profile.funcs.length ? profile.funcs.lib[func]! : -1;
      const file = lib >= 0 ? profile.strings[profile.libs.path[lib]!] : undefined;
      frames.push(
        file
          ? { name: exportFrameName(profile, func), file }
          : { name: exportFrameName(profile, func) },
      );
      frameIds.set(func, id);
    }
    return id;
  };
  const stackOf = new Map<number, number[]>();
  const rootFirst = (node: number): number[] => {
    let known = stackOf.get(node);
    if (known) return known;
    known = [];
    for (let n = node; n >= 0; n = stacks.prefix(n)) {
      const func = stacks.func(n);
      if (keepsFunc(profile, func, filters.frames, transformed)) known.push(frameOf(func));
    }
    known.reverse();
    stackOf.set(node, known);
    return known;
  };

  const byThread = new Map<number, SpeedscopeFile['profiles'][number]>();
  for (const g of groups) {
    let p = byThread.get(g.thread);
    if (!p) {
      const th = profile.threads[g.thread]!;
      p = {
        type: 'sampled',
        name: `${th.name} (pid ${th.pid}, tid ${th.tid})`,
        unit: event?.periodIsTime ? 'nanoseconds' : 'none',
        startValue: 0,
        endValue: 0,
        samples: [],
        weights: [],
      };
      byThread.set(g.thread, p);
    }
    for (let j = 0; j < g.nodes.length; j++) {
      p.samples.push(rootFirst(g.nodes[j]!));
      p.weights.push(g.weights[j]!);
      p.endValue += g.weights[j]!;
    }
  }
  const profiles = [...byThread.values()];
  // the heaviest thread opens first
  let active = 0;
  profiles.forEach((p, i) => {
    if (p.endValue > profiles[active]!.endValue) active = i;
  });
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles,
    name: `${profile.meta.path.slice(profile.meta.path.lastIndexOf('/') + 1)} (${event?.name ?? '?'})`,
    activeProfileIndex: active,
    exporter: 'perfws',
  };
}
