import type { EventDesc } from '../perf-data/evlist';
import type { PerfDataReader } from '../perf-data/reader';
import type { HistEntry } from './hist-entry';
import type { Hists } from './hists';

/** An event group of the recording (HEADER_GROUP_DESC): the leader first, then its members. */
export interface EventGroup {
  readonly events: readonly EventDesc[];
  /** The group's name; perf stores an unnamed group as "{anon_group}". */
  readonly name: string | undefined;
}

/** The recording's groups of two or more events, by leader (perf's evsel->core.nr_members). */
export function eventGroups(reader: PerfDataReader): Map<EventDesc, EventGroup> {
  const groups = new Map<EventDesc, EventGroup>();
  const all = reader.events.events;
  for (const g of reader.info.groupDescs ?? []) {
    if (g.nrMembers < 2) continue;
    const events = all.slice(g.leader, g.leader + g.nrMembers);
    if (events.length !== g.nrMembers) continue;
    const name = g.name === '{anon_group}' ? undefined : g.name;
    groups.set(events[0]!, { events, name });
  }
  return groups;
}

/** perf's evsel__group_desc: "anon group { cpu-clock, task-clock }". */
export function groupDescription(group: EventGroup): string {
  return `${group.name ?? 'anon group'} { ${group.events.map((e) => e.name).join(', ')} }`;
}

/**
 * perf report's event group view (report__collapse_hists with symbol_conf.event_group): every
 * leader entry is paired with the member's equal entry (hists__match), and every member entry
 * left unpaired gets an empty "dummy" entry in the leader's tree to pair with (hists__link).
 * perf diff pairs a baseline with each newer recording the same way; `link` false is its
 * `--baseline-only` (hists__match alone).
 */
export function linkGroupMember(leader: Hists, member: Hists, position: number, link = true): void {
  const paired = new Set<HistEntry>();
  for (const he of leader.collapsedEntries()) {
    const pair = member.find(he);
    if (!pair) continue;
    addPair(he, position, pair);
    paired.add(pair);
  }
  if (!link) return;
  for (const pos of member.collapsedEntries()) {
    if (paired.has(pos)) continue;
    addPair(leader.addDummy(pos), position, pos);
  }
}

function addPair(he: HistEntry, position: number, pair: HistEntry): void {
  he.pairs ??= [];
  he.pairs[position] ??= pair;
}
