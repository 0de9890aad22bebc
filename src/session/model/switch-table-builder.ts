import { SwitchSource, grown, type Nanoseconds, type SwitchTable } from '../../shared/model';

/**
 * One thread's context switches while the model is built: switch records and sched_switch
 * samples side by side (`source`), in delivery order. Every column is its own typed-array field
 * written at its own site (monomorphic stores, as the sample columns).
 */
export class SwitchTableBuilder {
  length = 0;
  private time = new Float64Array(64);
  private out = new Uint8Array(64);
  private cause = new Uint8Array(64);
  private cpu = new Int32Array(64);
  private stack = new Int32Array(64);
  private rawStack = new Int32Array(64);
  private source = new Uint8Array(64);
  /** How many rows came from each SwitchSource. */
  readonly bySource = [0, 0];

  add(
    time: Nanoseconds,
    out: boolean,
    cause: number,
    cpu: number,
    stack: number,
    rawStack: number,
    source: SwitchSource,
  ): void {
    const i = this.length;
    if (i === this.time.length) {
      this.time = grown(this.time, i);
      this.out = grown(this.out, i);
      this.cause = grown(this.cause, i);
      this.cpu = grown(this.cpu, i);
      this.stack = grown(this.stack, i);
      this.rawStack = grown(this.rawStack, i);
      this.source = grown(this.source, i);
    }
    this.time[i] = time;
    this.out[i] = out ? 1 : 0;
    this.cause[i] = cause;
    this.cpu[i] = cpu;
    this.stack[i] = stack;
    this.rawStack[i] = rawStack;
    this.source[i] = source;
    this.length = i + 1;
    this.bySource[source]!++;
  }

  /**
   * The table of the switches from `use`, by time (stable), relative to `start`. With switch
   * records (`use` SWITCH_RECORD) the sched_switch samples of the thread lend their stacks: a
   * switch-out takes the stack of the thread's last sched_switch sample after its previous
   * switch and at or before it (the tracepoint fires in __schedule just before the switch
   * record is written).
   */
  finish(start: Nanoseconds, use: SwitchSource): SwitchTable {
    const n = this.length;
    const order = Array.from({ length: n }, (_, k) => k).sort(
      (a, b) => this.time[a]! - this.time[b]! || a - b,
    );
    const kept = order.filter((k) => this.source[k] === use);
    const m = kept.length;
    const table: SwitchTable = {
      length: m,
      time: new Float64Array(m),
      out: new Uint8Array(m),
      cause: new Uint8Array(m),
      cpu: new Int32Array(m),
      stack: new Int32Array(m).fill(-1),
      rawStack: new Int32Array(m).fill(-1),
    };
    let pendingStack = -1;
    let pendingRaw = -1;
    let j = 0;
    for (const k of order) {
      if (this.source[k] !== use) {
        // a sched_switch sample beside switch records: remember its stack for the switch-out
        if (this.out[k]) {
          pendingStack = this.stack[k]!;
          pendingRaw = this.rawStack[k]!;
        }
        continue;
      }
      table.time[j] = this.time[k]! - start;
      table.out[j] = this.out[k]!;
      table.cause[j] = this.cause[k]!;
      table.cpu[j] = this.cpu[k]!;
      if (use === SwitchSource.SCHED_SWITCH || this.out[k]) {
        table.stack[j] = use === SwitchSource.SCHED_SWITCH ? this.stack[k]! : pendingStack;
        table.rawStack[j] = use === SwitchSource.SCHED_SWITCH ? this.rawStack[k]! : pendingRaw;
      }
      if (use === SwitchSource.SWITCH_RECORD) pendingStack = pendingRaw = -1;
      j++;
    }
    return table;
  }
}
