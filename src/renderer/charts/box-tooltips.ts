import type { FlameChartAnswer, FlameGraphAnswer } from '../../shared/contract';
import { formatPercent, formatWeight, type WeightUnit } from '../format/numbers';
import { formatDuration, formatTimestamp } from '../format/time';
import { KIND_LABEL, SYNTHETIC_FRAME_NOTES } from '../model/frame-kinds';
import type { TooltipContent } from './hover-tooltip';

type Funcs = FlameGraphAnswer['funcs'];

/** Title, library, kind tag and note of a function's box (both charts). */
function about(funcs: Funcs, func: number): Omit<TooltipContent, 'lines'> {
  const info = funcs[func];
  const kind = info?.kind ?? 'user';
  return {
    title: info?.name ?? '?',
    subtitle: info?.lib,
    tag: { text: KIND_LABEL[kind], kind },
    note: SYNTHETIC_FRAME_NOTES[kind],
  };
}

/** A flame graph node: its total and self weight, of the view and (zoomed) of everything. */
export function flameGraphTooltip(
  answer: FlameGraphAnswer,
  node: number,
  unit: WeightUnit,
): TooltipContent {
  const total = answer.nodeTotal[node]!;
  const self = answer.self[node]!;
  const share = (w: number): string =>
    `${formatWeight(w, unit)} · ${formatPercent(w, answer.total)}`;
  return {
    ...about(answer.funcs, answer.func[node]!),
    lines: [
      { label: 'Total', value: share(total) },
      { label: 'Self', value: share(self) },
      ...(answer.focus.length
        ? [{ label: 'Of everything', value: formatPercent(total, answer.rootTotal) }]
        : []),
    ],
  };
}

/** A flame chart box: how long it lasted and when it started. */
export function flameChartTooltip(answer: FlameChartAnswer, box: number): TooltipContent {
  const start = answer.boxStart[box]!;
  const end = answer.boxEnd[box]!;
  return {
    ...about(answer.funcs, answer.func[box]!),
    lines: [
      { label: 'Duration', value: `≈ ${formatDuration(end - start)}` },
      { label: 'From', value: formatTimestamp(start, (end - start) / 100) },
    ],
  };
}
