/** Query answers as compact text, so tests assert trees and rows the way a reader checks them. */
import type {
  FlameChartAnswer,
  FlameGraphAnswer,
  FoldedExportOptions,
  SamplePage,
  TopFunctionsAnswer,
} from '../../src/shared/contract';
import type { Profile } from '../../src/shared/model';
import { foldedLines } from '../../src/session/query/folded';

/** A flame graph as an indented tree: `name total` (and `self=N` where it has self weight). */
export function flameGraphText(answer: FlameGraphAnswer): string {
  const lines: string[] = [];
  for (let i = 0; i < answer.depth.length; i++) {
    const name = answer.funcs[answer.func[i]!]?.name ?? '?';
    const self = answer.self[i]! > 0 ? ` self=${answer.self[i]}` : '';
    const match = answer.match[i] ? ' (match)' : '';
    lines.push(`${'  '.repeat(answer.depth[i]!)}${name} ${answer.nodeTotal[i]}${self}${match}`);
  }
  return lines.join('\n');
}

/** Top functions as `name self total` rows. */
export function topFunctionsText(answer: TopFunctionsAnswer): string[] {
  return answer.rows.map((r) => `${r.name} ${r.self} ${r.total}`);
}

/** A sample page as `time leaf` rows. */
export function samplePageText(page: SamplePage): string[] {
  return page.rows.map((r) => `${r.time} ${r.leaf}`);
}

/** A flame chart as `depth name start-end` boxes, sorted by depth then start. */
export function flameChartText(answer: FlameChartAnswer): string[] {
  return Array.from(answer.depth, (d, i) => ({
    d,
    start: answer.boxStart[i]!,
    text: `${d} ${answer.funcs[answer.func[i]!]?.name ?? '?'} ${answer.boxStart[i]}-${answer.boxEnd[i]}`,
  }))
    .sort((a, b) => a.d - b.d || a.start - b.start)
    .map((b) => b.text);
}

/** The folded export's lines. */
export function foldedText(profile: Profile, options: FoldedExportOptions): string[] {
  return [...foldedLines(profile, options)].flat();
}
