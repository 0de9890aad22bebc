import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../../src/shared/contract';
import type { CallContext } from '../../../src/shared/rpc';
import { forkConfig, forked, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);
const { runUtilityJob } = await import('../../../src/main/utility-job');

const MODULE = join(import.meta.dirname, 'electron-fake.ts');
const job = { module: MODULE, serviceName: 'test job', method: 'work', args: [21] };

beforeEach(() => {
  resetElectronFake();
  forkConfig.serve = () => ({
    methods: ['work', 'hang'],
    service: {
      work: async (n: number, ctx: CallContext) => {
        ctx.emit('progress', { phase: 'exporting', done: 1, total: 1 });
        return n * 2;
      },
      hang: () => new Promise(() => {}),
    },
  });
});

describe('runUtilityJob', () => {
  it('runs one call in a process of its own, with progress, and ends the process', async () => {
    const progress: Progress[] = [];
    await expect(runUtilityJob({ ...job, onProgress: (p) => progress.push(p) })).resolves.toBe(42);
    expect(progress).toEqual([{ phase: 'exporting', done: 1, total: 1 }]);
    expect(forked[0]?.options?.serviceName).toBe('test job');
    expect(forked[0]?.killed).toBe(true);
  });

  it('turns the process dying into a clear error', async () => {
    const running = runUtilityJob({ ...job, method: 'hang' });
    await vi.waitFor(() => expect(forked).toHaveLength(1));
    forked[0]!.crash(3);
    await expect(running).rejects.toThrow('test job stopped unexpectedly (exit code 3)');
  });

  it('says the job is not built when its module is missing', async () => {
    await expect(runUtilityJob({ ...job, module: '/nowhere/job.js' })).rejects.toThrow(
      /npm run build/,
    );
    expect(forked).toHaveLength(0);
  });
});
