import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import HelpOverlay from '../../src/renderer/components/HelpOverlay.vue';
import SearchBox from '../../src/renderer/components/SearchBox.vue';
import SegmentedChoice from '../../src/renderer/components/SegmentedChoice.vue';
import { HoverTooltip } from '../../src/renderer/charts/hover-tooltip';
import { actionForKey, SHORTCUTS } from '../../src/renderer/keyboard/shortcuts';
import { useRecordingStore } from '../../src/renderer/stores/recording';
import RecordingStatus from '../../src/renderer/views/RecordingStatus.vue';
import { FakeHost, settle } from './fake-host';

beforeEach(() => setActivePinia(createPinia()));

describe('the search box', () => {
  it('reports an invalid pattern in place and passes valid ones on after a pause', async () => {
    vi.useFakeTimers();
    const box = mount(SearchBox, { props: { modelValue: '' } });
    const input = box.get('input');
    await input.setValue('spin_(');
    expect(box.text()).toContain('Invalid pattern');
    expect(input.attributes('aria-invalid')).toBe('true');
    vi.advanceTimersByTime(1000);
    expect(box.emitted('update:modelValue')).toBeUndefined();
    await input.setValue('spin_.*');
    expect(box.text()).not.toContain('Invalid pattern');
    vi.advanceTimersByTime(1000);
    expect(box.emitted('update:modelValue')).toEqual([['spin_.*']]);
    vi.useRealTimers();
  });
});

describe('the recording status', () => {
  it('shows loading progress with a cancel button that cancels', async () => {
    const host = new FakeHost();
    const recording = useRecordingStore();
    await recording.attach(host);
    host.setState({
      phase: 'loading',
      name: 'big.data',
      progress: { phase: 'reading', done: 3 * 1024 * 1024, total: 12 * 1024 * 1024 },
    });
    const view = mount(RecordingStatus);
    await settle(2);
    expect(view.text()).toContain('Opening big.data');
    expect(view.text()).toContain('Reading records · 3.0 MiB of 12.0 MiB · 25 %');
    expect(view.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('25');
    await view.get('[data-testid="cancel-load"]').trigger('click');
    await settle(2);
    expect(host.cancelled).toBe(1);
  });

  it('shows a failure with its reason and a reopen button, never a blank window', async () => {
    const host = new FakeHost();
    const recording = useRecordingStore();
    await recording.attach(host);
    host.setState({
      phase: 'failed',
      name: 'x.data',
      error: {
        kind: 'bad-recording',
        message: 'x.data: not a perf.data file (bad magic at offset 0)',
      },
    });
    const view = mount(RecordingStatus);
    await settle(2);
    expect(view.get('[data-testid="failure-message"]').text()).toContain('bad magic at offset 0');
    expect(view.get('[data-testid="reopen"]').text()).toBe('Reopen x.data');
  });
});

describe('the chart tooltip', () => {
  it('writes names as text, so a name from a binary cannot inject markup', () => {
    const el = document.createElement('div');
    document.body.append(el);
    const tip = new HoverTooltip(el);
    tip.show(
      { title: '<img src=x onerror=alert(1)>', lines: [{ label: 'Total', value: '1 ms' }] },
      10,
      10,
    );
    expect(el.hidden).toBe(false);
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('.tt-title')?.textContent).toBe('<img src=x onerror=alert(1)>');
    tip.hide();
    expect(el.hidden).toBe(true);
  });
});

describe('keyboard shortcuts', () => {
  it('map keys to actions, one action per key', () => {
    const key = (k: string, ctrl = false) =>
      actionForKey({ key: k, ctrlKey: ctrl, metaKey: false, altKey: false });
    expect(key('m')).toBe('toggle-merge');
    expect(key('?')).toBe('help');
    expect(key('f', true)).toBe('focus-search');
    expect(key('f')).toBeUndefined();
    const keys = SHORTCUTS.flatMap((s) => [...s.keys, ...(s.browserKeys ?? [])]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('in a browser, Ctrl+/, Ctrl+E and Ctrl+O work; in the desktop app the menu has them', () => {
    const ctrl = (k: string, host: 'browser' | 'electron') =>
      actionForKey({ key: k, ctrlKey: true, metaKey: false, altKey: false }, host);
    expect(ctrl('/', 'browser')).toBe('help');
    expect(ctrl('e', 'browser')).toBe('export-folded');
    expect(ctrl('o', 'browser')).toBe('open-recording');
    expect(ctrl('/', 'electron')).toBeUndefined();
    expect(ctrl('e', 'electron')).toBeUndefined();
    expect(ctrl('o', 'electron')).toBeUndefined();
  });

  it('the help overlay lists the keys of the sample list and the call tree', () => {
    const help = mount(HelpOverlay);
    const text = help.get('[data-testid="help-view-keys"]').text();
    expect(text).toContain('Sample list: move, expand');
    expect(text).toContain('Call tree:');
    expect(help.text()).toContain('Ctrl+O');
    expect(help.text()).toContain('Ctrl+/');
  });
});

describe('the segmented choice', () => {
  const choices = [
    { id: 'all', label: 'All', title: 'Every one' },
    { id: 'some', label: 'Some', disabled: true },
    { id: 'one', label: 'One' },
  ] as const;

  it('presses the chosen button and asks for the one clicked', async () => {
    const group = mount(SegmentedChoice, {
      props: { modelValue: 'one', choices, label: 'How many' },
      attrs: { 'data-testid': 'how-many' },
    });
    expect(group.get('[role="group"]').attributes('aria-label')).toBe('How many');
    expect(group.attributes('data-testid')).toBe('how-many');
    const buttons = group.findAll('button');
    expect(buttons.map((b) => [b.text(), b.attributes('aria-pressed')])).toEqual([
      ['All', 'false'],
      ['Some', 'false'],
      ['One', 'true'],
    ]);
    expect(buttons[0]!.attributes('title')).toBe('Every one');
    expect(buttons[1]!.attributes('disabled')).toBeDefined();
    expect(buttons[2]!.attributes('disabled')).toBeUndefined();
    await buttons[0]!.trigger('click');
    expect(group.emitted('update:modelValue')).toEqual([['all']]);
  });
});
