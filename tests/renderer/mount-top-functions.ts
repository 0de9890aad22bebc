import { mount } from '@vue/test-utils';
import { vi } from 'vitest';
import type { TopFunctionsAnswer } from '../../src/shared/contract';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import TopFunctionsView from '../../src/renderer/views/TopFunctionsView.vue';
import { FakeHost, recordingSummary, settle } from './fake-host';

/**
 * The top functions view over a loaded recording whose session answers `answer`, its scroller
 * `scrollerHeight` px tall (there is no layout here; the table shows the rows it has room for).
 * The caller restores the mocks (vi.restoreAllMocks).
 */
export async function mountTopFunctions(answer: TopFunctionsAnswer, scrollerHeight: number) {
  const host = new FakeHost({ topFunctions: async () => answer });
  await useRecordingStore().attach(host);
  host.setState({ phase: 'loaded', name: 'perf.data', summary: recordingSummary() });
  await settle();
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(scrollerHeight);
  const view = mount(TopFunctionsView, { global: { stubs: { CallersTree: true } } });
  await settle();
  return view;
}
