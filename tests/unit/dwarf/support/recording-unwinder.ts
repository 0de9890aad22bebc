/**
 * Replays a real `--call-graph dwarf` recording: feeds its side-band records to Machine, and for
 * every sample unwinds the user stack with the symfs copies of the mapped files, printing the
 * frames the way oracleUserFrames() reads them from perf's output.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { CpuMode, isSideBand, Machine } from '../../../../src/session/machine/machine';
import type { MapEntry } from '../../../../src/session/machine/maps';
import { PerfDataReader } from '../../../../src/session/perf-data/reader';
import { RecordType } from '../../../../src/session/perf-data/constants';
import { ElfFile } from '../../../../src/session/symbols/elf/elf-file';
import {
  inlineChain,
  perfLoadBias,
  unwindUser,
  type CodeModule,
} from '../../../../src/session/dwarf/index';

export interface ReplayedSample {
  frames: string[];
}

export async function replayUserFrames(
  perfData: string,
  symfs: string,
  maxFrames = 127,
): Promise<string[][]> {
  const reader = PerfDataReader.open(perfData);
  const machine = new Machine('x86_64');
  const files = new Map<string, ElfFile | undefined>();
  const open = (name: string): ElfFile | undefined => {
    if (!files.has(name)) {
      const path = join(symfs, name);
      files.set(name, name.startsWith('/') && existsSync(path) ? ElfFile.open(path) : undefined);
    }
    return files.get(name);
  };
  const out: string[][] = [];
  await reader.read((r) => {
    if (isSideBand(r)) {
      machine.process(r);
      return;
    }
    switch (r.type) {
      case RecordType.SAMPLE: {
        const s = r.sample;
        const thread = machine.findnewThread(s.pid, s.tid);
        const mapAt = (addr: bigint): MapEntry | undefined => {
          if (addr >= 1n << 53n) return undefined;
          return machine.findMap(thread, CpuMode.USER, Number(addr))?.map;
        };
        const findModule = (addr: bigint): CodeModule | undefined => {
          const map = mapAt(addr);
          if (!map) return undefined;
          const elf = open(map.dso.name);
          let lowest = map.start;
          for (const m of thread.maps.all())
            if (m.dso === map.dso && m.start < lowest) lowest = m.start;
          return {
            elf,
            bias: elf ? perfLoadBias(elf, BigInt(lowest)) : 0n,
            map: { start: BigInt(map.start), pgoff: BigInt(map.pgoff) },
          };
        };
        const frames: string[] = [];
        if (s.regsUser && s.stackUser) {
          const ips = unwindUser('x86_64', s.regsUser, s.stackUser.data, findModule, maxFrames);
          for (const ip of ips) {
            const map = mapAt(ip);
            const rel = map ? ip - BigInt(map.start) + BigInt(map.pgoff) : ip;
            const elf = map && open(map.dso.name);
            const chain = elf ? inlineChain(elf, rel) : undefined;
            if (chain)
              for (const name of chain.slice(0, -1))
                frames.push(`${rel.toString(16)} ${name} (inlined)`);
            frames.push(rel.toString(16));
          }
        }
        out.push(frames);
        return;
      }
    }
  });
  reader.close();
  for (const f of files.values()) f?.close();
  return out;
}
