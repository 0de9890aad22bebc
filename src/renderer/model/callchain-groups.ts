import type { CallchainFrame } from '../../shared/contract';

/** A run of consecutive frames of one kind (kernel part, user part, a synthetic frame). */
export interface FrameGroup {
  kind: CallchainFrame['kind'];
  /** Position of the group's first frame in the chain (0 = innermost). */
  first: number;
  frames: CallchainFrame[];
}

/** Splits a callchain (innermost first) into its kernel and user parts. */
export function groupFrames(frames: readonly CallchainFrame[]): FrameGroup[] {
  const groups: FrameGroup[] = [];
  frames.forEach((frame, i) => {
    const last = groups[groups.length - 1];
    if (last && last.kind === frame.kind) last.frames.push(frame);
    else groups.push({ kind: frame.kind, first: i, frames: [frame] });
  });
  return groups;
}

/** A frame as perf script writes it: `ffffffff81234567 do_syscall_64+0x5d`. */
export function frameSymbol(frame: CallchainFrame): string {
  return frame.offset >= 0 && !frame.unresolved
    ? `${frame.name}+0x${frame.offset.toString(16)}`
    : frame.name;
}

/**
 * A frame's address, saying which kind it is: `libc.so.6+0x127f` for an offset in a library
 * (perf prints those library-relative), the bare hex for an absolute (kernel) address.
 */
export function frameAddress(frame: CallchainFrame): { text: string; title: string } {
  if (!frame.address) return { text: '', title: '' };
  return frame.libRelative
    ? {
        text: `${frame.lib}+0x${frame.address}`,
        title: `Offset 0x${frame.address} in ${frame.lib}`,
      }
    : { text: frame.address, title: `Absolute address 0x${frame.address}` };
}

export const GROUP_TITLE: Record<CallchainFrame['kind'], string> = {
  kernel: 'Kernel',
  user: 'User',
  unmerged: 'User stack unavailable',
  deferred: 'Deferred user stack (merging off)',
};
