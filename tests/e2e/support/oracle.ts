import type {
  Filters,
  FoldedExportOptions,
  SymbolSettings,
  Weight,
} from '../../../src/shared/contract';
import type { CallContext } from '../../../src/shared/rpc';
import { SessionService } from '../../../src/session/service';

/**
 * The session's answers computed in the test process, to check what the UI shows against
 * (same code the served session runs, no browser in between).
 */
export class SessionOracle {
  private constructor(private readonly service: SessionService) {}

  static async open(path: string, symbols: SymbolSettings): Promise<SessionOracle> {
    const service = new SessionService();
    await service.open({ path, symbols }, context());
    return new SessionOracle(service);
  }

  async flameTotal(filters: Filters): Promise<number> {
    const answer = await this.service.flameGraph({ filters, width: 1000 }, context());
    return answer.total;
  }

  async flameTotalWeighted(filters: Filters, weight: Weight): Promise<number> {
    const answer = await this.service.flameGraph({ filters, width: 1000, weight }, context());
    return answer.total;
  }

  async sampleAt(thread: number, time: number, filters: Filters = {}) {
    return this.service.sampleAt({ thread, time, filters }, context());
  }

  async markers(filters: Filters, bins: number) {
    return this.service.markers({ filters, bins }, context());
  }

  /** Nodes narrower than a pixel are folded away, so the answer depends on the view's width. */
  async matchTotal(filters: Filters, search: string, width: number): Promise<number> {
    const answer = await this.service.flameGraph({ filters, width, search }, context());
    return answer.matchTotal;
  }

  /** The call tree's root rows (names and totals), top-down or inverted. */
  async callTreeRoots(
    filters: Filters,
    inverted = false,
  ): Promise<{ name: string; total: number }[]> {
    const a = await this.service.callTree({ filters, inverted, expanded: [] }, context());
    return [...a.func].map((f, r) => ({ name: a.funcs[f]!.name, total: a.nodeTotal[r]! }));
  }

  async sampleCount(thread: number, filters: Filters): Promise<number> {
    const page = await this.service.samples({ thread, filters, offset: 0, limit: 0 }, context());
    return page.total;
  }

  async threads() {
    return this.service.threads(context());
  }

  async folded(options: FoldedExportOptions): Promise<string> {
    const chunks: string[] = [];
    await this.service.exportFolded(
      options,
      context((name, data) => name === 'chunk' && chunks.push(data as string)),
    );
    return chunks.join('');
  }
}

function context(emit: (name: string, data: unknown) => unknown = () => {}): CallContext {
  return { signal: new AbortController().signal, emit: (n, d) => void emit(n, d) };
}
