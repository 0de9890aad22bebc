import type { CallchainFrame } from '../../shared/contract';

type FrameKind = CallchainFrame['kind'];

export const KIND_LABEL: Record<FrameKind, string> = {
  user: 'user',
  kernel: 'kernel',
  unmerged: 'unmerged',
  deferred: 'deferred',
};

/** What the two synthetic frames mean, for tooltips and the callchain list. */
export const SYNTHETIC_FRAME_NOTES: Partial<Record<FrameKind, string>> = {
  unmerged:
    'Not code: this sample asked for a deferred user stack that never arrived (cookie mismatch, or the recording ended first).',
  deferred:
    'Not code: with merging off, this stands where the deferred user stack (its cookie) goes.',
};
