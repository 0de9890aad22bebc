// The planted bugs of `npm run mutation-check` (scripts/mutation-check.mjs): small, plausible
// mistakes, each an exact search/replace in one file, with the test files that should catch it.
// A `find` must occur exactly once in its file; when the code moves on, update the entry (the
// check says which one went stale).
//
// Fields: id (short, unique), area, what (the bug in words), file, find, replace, tests (test
// files or directories, relative to the repository; a directory runs every test in it), and
// optionally filter (vitest -t: only the tests whose name matches, for a slow file).

const MERGE_TESTS = ['tests/unit/merge', 'tests/unit/perf-data/deferred-merge.test.ts'];
const SCRIPT_TESTS = ['tests/integration/script-deferred-rules.test.ts'];
const READER_TESTS = [
  'tests/unit/perf-data',
  'tests/unit/merge',
  'tests/integration/script-big-endian.test.ts',
];
// The queries' unit tests over profiles described in text; the integration suite on real
// recordings (tests/integration/session-queries.test.ts) takes minutes per run: `--full` tries it.
const QUERY_TESTS = ['tests/unit/query'];
const RENDERER_TESTS = ['tests/renderer'];
const TIMELINE_TESTS = ['tests/unit/query/off-cpu-intervals.test.ts'];

/** @type {{ id: string, area: string, what: string, file: string, find: string, replace: string, tests: string[], filter?: string }[]} */
export const MUTATIONS = [
  // --- the deferred merge ---------------------------------------------------------------------
  {
    id: 'merge-any-thread',
    area: 'merge',
    what: "a record merges every queued sample with its cookie, whatever the sample's thread",
    file: 'src/session/merge/deferred-merge.ts',
    find: '      if (q.sample.tid !== tid) {',
    replace: '      if (false) {',
    tests: MERGE_TESTS,
  },
  {
    id: 'merge-cookie-ignored',
    area: 'merge',
    what: 'a record merges every queued sample of its thread, cookie or not',
    file: 'src/session/merge/deferred-merge.ts',
    find: 'chain[2 * (n - 1)] === cookieLo && chain[2 * (n - 1) + 1] === cookieHi && n >= 2',
    replace: 'n >= 2',
    tests: MERGE_TESTS,
  },
  {
    id: 'merge-keeps-cookie',
    area: 'merge',
    what: 'the merged chain keeps the cookie before the user addresses',
    file: 'src/session/merge/deferred-merge.ts',
    find: 'this.slab.concat(chain, n - 1, r.ips)',
    replace: 'this.slab.concat(chain, n, r.ips)',
    tests: MERGE_TESTS,
  },
  {
    id: 'merge-mismatch-stays-queued',
    area: 'merge',
    what: 'a sample of the thread with another cookie stays queued instead of being delivered',
    file: 'src/session/merge/deferred-merge.ts',
    find: `        this.stats.unmergedCookieMismatch++;
        this.out.sample(q, chain, MergeStatus.UNMERGED_COOKIE_MISMATCH);`,
    replace: '        fifo[kept++] = q;',
    tests: MERGE_TESTS,
  },
  {
    id: 'flush-newest-first',
    area: 'merge',
    what: 'the end-of-session flush delivers the queue newest first',
    file: 'src/session/merge/deferred-merge.ts',
    find: '      const q = this.fifo[i]!;\n      this.stats.unmergedEndOfSession++;',
    replace:
      '      const q = this.fifo[this.waiting - 1 - i]!;\n      this.stats.unmergedEndOfSession++;',
    tests: MERGE_TESTS,
  },
  {
    id: 'flush-keeps-exited-threads',
    area: 'merge',
    what: "the end-of-session flush still finds exited threads (perf 6.1's lifetime, not 6.19's)",
    file: 'src/session/merge/deferred-merge.ts',
    find: '    this.out.endOfSession?.();',
    replace: '',
    tests: SCRIPT_TESTS,
  },
  {
    id: 'deferred-marker-last',
    area: 'merge',
    what: 'a sample counts as deferred when its last entry is USER_DEFERRED (not the one before)',
    file: 'src/session/perf-data/sample.ts',
    find: `      s.callchain[2 * (nr - 2)] === ContextNum.USER_DEFERRED >>> 0 &&
      s.callchain[2 * (nr - 2) + 1] === 0xffffffff;`,
    replace: `      s.callchain[2 * (nr - 1)] === ContextNum.USER_DEFERRED >>> 0 &&
      s.callchain[2 * (nr - 1) + 1] === 0xffffffff;`,
    tests: MERGE_TESTS,
  },

  // --- the ordered queue ----------------------------------------------------------------------
  {
    id: 'queue-no-round-lag',
    area: 'queue',
    what: 'a round flush delivers everything up to the newest time of the round (no lag)',
    file: 'src/session/perf-data/ordered-queue.ts',
    find: `    this.deliverUpTo(this.nextFlush);
    this.nextFlush = this.maxTimestamp;`,
    replace: `    this.nextFlush = this.maxTimestamp;
    this.deliverUpTo(this.nextFlush);`,
    tests: ['tests/unit/perf-data/ordered-queue.test.ts', 'tests/unit/merge'],
  },
  {
    id: 'queue-time-minus-one-queued',
    area: 'queue',
    what: 'a record whose time is -1 is queued (behind everything) instead of delivered at once',
    file: 'src/session/perf-data/sample.ts',
    find: '  return !((lo === 0 && hi === 0) || (lo === 0xffffffff && hi === 0xffffffff));',
    replace: '  return !(lo === 0 && hi === 0);',
    tests: ['tests/unit/merge', 'tests/integration/script-deferred-rules.test.ts'],
  },
  {
    id: 'queue-unstable',
    area: 'queue',
    what: 'records of equal time come out newest first',
    file: 'src/session/perf-data/ordered-queue.ts',
    find: '          const at = from.times[j]! < from.times[i]! ? j++ : i++; // left wins ties: arrival order',
    replace: '          const at = from.times[j]! <= from.times[i]! ? j++ : i++;',
    tests: ['tests/unit/perf-data/ordered-queue.test.ts', 'tests/unit/merge'],
  },

  // --- the reader -----------------------------------------------------------------------------
  {
    id: 'identifier-sample-position',
    area: 'reader',
    what: "a sample's PERF_SAMPLE_IDENTIFIER is not looked for first",
    file: 'src/session/perf-data/evlist.ts',
    find: '  if (sampleType & SampleType.IDENTIFIER) return 0;',
    replace: '',
    tests: READER_TESTS,
  },
  {
    id: 'identifier-trailer-position',
    area: 'reader',
    what: "a side-band record's IDENTIFIER is read one slot early",
    file: 'src/session/perf-data/evlist.ts',
    find: '  if (sampleType & SampleType.IDENTIFIER) return 1;',
    replace: '  if (sampleType & SampleType.IDENTIFIER) return 2;',
    tests: READER_TESTS,
  },
  {
    id: 'id-trailer-ignores-cpu',
    area: 'reader',
    what: "a side-band record's ID is found as if CPU were not in the trailer",
    file: 'src/session/perf-data/evlist.ts',
    find: `  let idx = 1;
  if (sampleType & SampleType.CPU) idx++;`,
    replace: '  let idx = 1;',
    tests: READER_TESTS,
  },
  {
    id: 'big-endian-halves',
    area: 'reader',
    what: 'a byte-swapped u64 array keeps its 32-bit halves in file order',
    file: 'src/session/perf-data/sample.ts',
    find: `      out[i + 1] = v.getUint32(p, false);
      out[i] = v.getUint32(p + 4, false);`,
    replace: `      out[i] = v.getUint32(p, false);
      out[i + 1] = v.getUint32(p + 4, false);`,
    tests: READER_TESTS,
  },
  {
    id: 'pipe-attr-first-id-only',
    area: 'reader',
    what: 'a pipe-mode HEADER_ATTR keeps only the first of its ids (one per CPU)',
    file: 'src/session/perf-data/reader.ts',
    find: "          while (c.remaining >= 8) ids.push(c.u64Count('header_attr.id'));",
    replace: "          if (c.remaining >= 8) ids.push(c.u64Count('header_attr.id'));",
    tests: READER_TESTS,
  },
  {
    id: 'pipe-attr-size',
    area: 'reader',
    what: "a pipe-mode HEADER_ATTR ignores attr.size (reads perf's first 64-byte attr)",
    file: 'src/session/perf-data/reader.ts',
    find: '          const attrSize = c.view.getUint32(c.pos + 4, le) || 64;',
    replace: '          const attrSize = 64;',
    // the attrs' ids as perf report --header-only prints them, for the real pipe recording
    tests: ['tests/integration/script-oracle.test.ts'],
    filter: 'header-only',
  },
  // --- report --------------------------------------------------------------------------------
  {
    id: 'report-group-count',
    area: 'report',
    what: "a chain's grouped call-graph append counts its samples once",
    file: 'src/session/report/collector.ts',
    find: '    group.count++;',
    replace: '    group.count = 1;',
    tests: ['tests/integration/report-grouped-callchains.test.ts'],
  },
  {
    id: 'report-group-any-entries',
    area: 'report',
    what: 'samples of one chain are grouped whatever entries they append to',
    file: 'src/session/report/collector.ts',
    find: '    if (g.roots[i] !== roots[i] || g.starts[i] !== starts[i]) return false;',
    replace: '    if (g.starts[i] !== starts[i]) return false;',
    tests: ['tests/integration/report-grouped-callchains.test.ts'],
  },
  {
    id: 'report-group-flush-order',
    area: 'report',
    what: 'grouped call graphs are appended newest group first',
    file: 'src/session/report/collector.ts',
    find: '    for (const g of this.groupOrder) {',
    replace: '    for (const g of [...this.groupOrder].reverse()) {',
    tests: ['tests/integration/report-grouped-callchains.test.ts'],
  },
  {
    id: 'report-cumulative-plan-any-entry',
    area: 'report',
    what: '--children: samples of one chain share which entries they add whatever their own entry',
    file: 'src/session/report/collector.ts',
    find: '      const plan = known.get(own);',
    replace: '      const plan = known.values().next().value;',
    tests: ['tests/integration/report-grouped-callchains.test.ts'],
  },
  // --- load ----------------------------------------------------------------------------------
  {
    id: 'load-worker-for-small',
    area: 'load',
    what: 'small recordings are read in a load worker and large ones on one thread',
    file: 'src/session/model/model-builder.ts',
    find: '  return reader.header.data.size >= WORKER_MIN_DATA || reader.info.present.has(Feature.COMPRESSED);',
    replace:
      '  return reader.header.data.size < WORKER_MIN_DATA || reader.info.present.has(Feature.COMPRESSED);',
    tests: ['tests/integration/load-thread-choice.test.ts'],
  },
  {
    id: 'load-worker-caller-ignored',
    area: 'load',
    what: "the caller's singleThread is ignored for the recording's size",
    file: 'src/session/model/model-builder.ts',
    find: '  if (options.singleThread !== undefined) return !options.singleThread;',
    replace: '',
    tests: ['tests/integration/load-thread-choice.test.ts'],
  },
  {
    id: 'load-shipped-cursor',
    area: 'load',
    what: "the session's thread reads every shipped chain from the start of the batch's words",
    file: 'src/session/model/model-builder.ts',
    find: '            shipped += n;',
    replace: '',
    tests: ['tests/integration/session-queries.test.ts', 'tests/unit/model'],
    filter: 'two-thread|shipped',
  },

  // --- symbols --------------------------------------------------------------------------------
  {
    id: 'kernel-relocation-sign',
    area: 'symbols',
    what: 'kallsyms symbols move the wrong way for a relocated kernel',
    file: 'src/session/symbols/resolver.ts',
    find: '      delta = at - ref.refSymbol.addr;',
    replace: '      delta = ref.refSymbol.addr - at;',
    tests: ['tests/unit/symbols/kallsyms.test.ts', 'tests/integration/kernel-relocation.test.ts'],
  },
  {
    id: 'kallsyms-unsorted',
    area: 'symbols',
    what: 'kallsyms lines out of address order are taken as they come',
    file: 'src/session/symbols/kernel/kallsyms.ts',
    find: '  if (!sorted)',
    replace: '  if (sorted && !sorted)',
    tests: ['tests/unit/symbols/kallsyms.test.ts'],
  },
  {
    id: 'kallsyms-ties-reversed',
    area: 'symbols',
    what: 'kallsyms symbols at one address are sorted newest first',
    file: 'src/session/symbols/kernel/kallsyms.ts',
    find: '|| a - b)',
    replace: '|| b - a)',
    tests: ['tests/unit/symbols/kallsyms.test.ts'],
  },
  {
    id: 'kallsyms-read-ahead-ignores-exclude-kernel',
    area: 'symbols',
    what: 'kallsyms is read ahead for a recording whose events all exclude the kernel',
    file: 'src/session/pipeline.ts',
    find: "    if (this.reader.events.events.every((e) => hasFlag(e.attr, 'exclude_kernel'))) return;",
    replace: '',
    tests: ['tests/unit/symbols/kallsyms.test.ts'],
  },
  {
    id: 'kernel-ref-symbol-name',
    area: 'symbols',
    what: "the kernel MMAP's reference symbol loses its first letter ([kernel.kallsyms]_text)",
    file: 'src/session/machine/machine.ts',
    find: 'name: name.slice(KERNEL_DSO_NAME.length)',
    replace: 'name: name.slice(KERNEL_DSO_NAME.length + 1)',
    tests: ['tests/unit/symbols/kallsyms.test.ts', 'tests/integration/kernel-relocation.test.ts'],
  },
  {
    id: 'symbol-end-inclusive',
    area: 'symbols',
    what: "a symbol's end address counts as inside it",
    file: 'src/session/symbols/table/symbol-tree.ts',
    find: '      if (aboveEnd || (atEnd && !atStart)) {',
    replace: '      if (aboveEnd) {',
    tests: ['tests/unit/symbols'],
  },

  // --- perf script's deferred printing --------------------------------------------------------
  {
    id: 'cookie-by-position',
    area: 'printing',
    what: '(cookie) marks only the last entry of an unmerged chain, not every entry equal to it',
    file: 'src/session/script/printer.ts',
    find: '      if (isCookie(fr, words, cookie)) s += ',
    replace: '      if (cookie && fr.index === words.length / 2 - 1) s += ',
    tests: SCRIPT_TESTS,
  },
  {
    id: 'cookie-on-mismatch',
    area: 'printing',
    what: 'a sample delivered on a cookie mismatch still prints its cookie as (cookie)',
    file: 'src/session/script/run-script.ts',
    find: `    status !== MergeStatus.DEFERRED_RAW
  ) {`,
    replace: `    status !== MergeStatus.DEFERRED_RAW &&
    status !== MergeStatus.UNMERGED_COOKIE_MISMATCH
  ) {`,
    tests: SCRIPT_TESTS,
  },
  {
    id: 'timeless-record-time-zero',
    area: 'printing',
    what: 'a record without a sample_id trailer prints time 0 instead of -1',
    file: 'src/session/script/run-script.ts',
    find: '  return r.type === RecordType.SAMPLE || event.idTrailerSize > 0;',
    replace: '  return true;',
    tests: SCRIPT_TESTS,
  },
  {
    id: 'deferred-cookie-decimal',
    area: 'printing',
    what: 'the DEFERRED CALLCHAIN line prints the cookie in decimal',
    file: 'src/session/script/run-script.ts',
    find: '`DEFERRED CALLCHAIN [cookie: ${hexFromHalves(r.cookieLo, r.cookieHi)}]`',
    replace: '`DEFERRED CALLCHAIN [cookie: ${r.cookieHi * 2 ** 32 + r.cookieLo}]`',
    tests: SCRIPT_TESTS,
  },
  {
    id: 'print-limit-counts-markers',
    area: 'printing',
    what: 'the 127-address print limit counts the context markers too',
    file: 'src/session/machine/callchain.ts',
    find: '  for (let i = 0; i < nr && frames.length < maxStack; i++) {',
    replace: '  for (let i = 0; i < nr && i < maxStack; i++) {',
    tests: SCRIPT_TESTS,
  },
  {
    id: 'misc-by-cpumode',
    area: 'printing',
    what: "the misc column names the cpumode instead of following perf's has() macro",
    file: 'src/session/script/printer.ts',
    find: '  for (const [m, letter] of MISC_LETTERS) if ((misc & m) === m) letters += letter;',
    replace: '  for (const [m, letter] of MISC_LETTERS) if ((misc & 7) === m) letters += letter;',
    tests: SCRIPT_TESTS,
  },
  {
    id: 'cli-no-prefixes',
    area: 'cli',
    what: "commands take only whole option names (perf's prefixes refused)",
    file: 'src/cli/program.ts',
    find: '  for (const command of program.commands) acceptPerfOptionForms(command);',
    replace: '  void acceptPerfOptionForms;',
    tests: ['tests/unit/cli'],
  },

  // --- queries --------------------------------------------------------------------------------
  {
    id: 'range-end-inclusive',
    area: 'queries',
    what: 'a time range includes a sample exactly at its end',
    file: 'src/session/query/filters.ts',
    find: '  const last = end === Infinity ? time.length : lowerBound(time, end);',
    replace: '  const last = end === Infinity ? time.length : lowerBound(time, end + 1);',
    tests: QUERY_TESTS,
  },
  {
    id: 'range-ignored',
    area: 'queries',
    what: 'the time range filter is ignored',
    file: 'src/session/query/filters.ts',
    find: `    start: f.range?.start ?? -Infinity,
    end: f.range?.end ?? Infinity,`,
    replace: `    start: -Infinity,
    end: Infinity,`,
    tests: QUERY_TESTS,
  },
  {
    id: 'merge-filter-ignored',
    area: 'queries',
    what: 'aggregate views show merged stacks even with merging switched off',
    file: 'src/session/query/filters.ts',
    find: '    const stacks = f.merge ? s.stack : s.rawStack;',
    replace: '    const stacks = s.stack;',
    tests: QUERY_TESTS,
  },
  {
    id: 'pid-filter-ignored',
    area: 'queries',
    what: 'the process filter is ignored',
    file: 'src/session/query/filters.ts',
    find: '  if (f.pids) {',
    replace: '  if (f.pids && false) {',
    tests: QUERY_TESTS,
  },
  {
    id: 'total-counts-recursion',
    area: 'queries',
    what: "a recursive function's total counts a sample once per frame, not once per stack",
    file: 'src/session/query/top-functions.ts',
    find: '      if (seen[func] === fs) continue; // recursion: once per stack',
    replace: '',
    tests: QUERY_TESTS,
  },
  {
    id: 'self-sorted-as-total',
    area: 'queries',
    what: 'top functions by self come sorted by total',
    file: 'src/session/query/top-functions.ts',
    find: "  const by = q.sortBy === 'total' ? inclusive : self;",
    replace: '  const by = inclusive;',
    tests: QUERY_TESTS,
  },

  // --- the timeline: off-CPU time, markers (issue 13) --------------------------------------------
  {
    id: 'offcpu-first-out',
    area: 'timeline',
    what: 'two switch-outs in a row: the interval starts at the first, not the last',
    file: 'src/session/model/off-cpu-intervals.ts',
    find: '    if (sw.out[i]) pending = i;',
    replace: '    if (sw.out[i]) pending = pending >= 0 ? pending : i;',
    tests: TIMELINE_TESTS,
  },
  {
    id: 'offcpu-sample-after',
    area: 'timeline',
    what: "an interval takes the stack of the thread's first sample after the switch-out",
    file: 'src/session/model/off-cpu-intervals.ts',
    find: '  return lo - 1;',
    replace: '  return lo < time.length ? lo : lo - 1;',
    tests: TIMELINE_TESTS,
  },
  {
    id: 'offcpu-preempt-flag',
    area: 'timeline',
    what: 'a switch record without the preempt flag counts as preempted',
    file: 'src/session/model/timeline-collector.ts',
    find: '        const cause = out && preempt ? OffCpuCause.PREEMPTED : OffCpuCause.VOLUNTARY;',
    replace:
      '        const cause = out && !preempt ? OffCpuCause.PREEMPTED : OffCpuCause.VOLUNTARY;',
    tests: ['tests/integration/session-timeline.test.ts'],
    filter: 'per thread',
  },
  {
    id: 'offcpu-range-unclipped',
    area: 'timeline',
    what: 'an off-CPU interval counts whole in a time range it only overlaps',
    file: 'src/session/query/off-cpu.ts',
    find: '    visit(i, Math.min(o.end[i]!, end) - Math.max(s, start));',
    replace: '    visit(i, o.end[i]! - s);',
    tests: ['tests/integration/session-timeline.test.ts'],
    filter: 'clips',
  },
  {
    id: 'marker-lost-samples-untimed',
    area: 'timeline',
    what: "LOST_SAMPLES (written without a time) is placed before the recording's start",
    file: 'src/session/model/timeline-collector.ts',
    find: '          r.time === 0 ? NaN : r.time,',
    replace: '          r.time,',
    tests: ['tests/integration/session-timeline.test.ts'],
    filter: 'lost events',
  },
  // --- renderer geometry ----------------------------------------------------------------------
  {
    id: 'timeline-last-bin',
    area: 'renderer',
    what: "the timeline's last bin is not drawn",
    file: 'src/renderer/charts/pixel-columns.ts',
    find: '  for (let b = 0; b < n; b++) {',
    replace: '  for (let b = 0; b < n - 1; b++) {',
    tests: RENDERER_TESTS,
  },
  {
    id: 'flame-row-top',
    area: 'renderer',
    what: "a flame graph row's top is one row too low",
    file: 'src/renderer/charts/flame-graph-geometry.ts',
    find: '  return contentHeight - (depth + 1) * rowHeight;',
    replace: '  return contentHeight - depth * rowHeight;',
    tests: RENDERER_TESTS,
  },
  {
    id: 'flame-depth-at',
    area: 'renderer',
    what: 'the flame graph finds the row under the pointer one off at row edges',
    file: 'src/renderer/charts/flame-graph-geometry.ts',
    find: '  return Math.ceil((contentHeight - y) / rowHeight) - 1;',
    replace: '  return Math.floor((contentHeight - y) / rowHeight) - 1;',
    tests: RENDERER_TESTS,
  },
  {
    id: 'flame-content-height',
    area: 'renderer',
    what: "the flame graph's content leaves out its deepest row",
    file: 'src/renderer/charts/flame-graph-geometry.ts',
    find: '  return Math.max(viewportHeight, (maxDepth + 1) * rowHeight + rowHeight);',
    replace: '  return Math.max(viewportHeight, maxDepth * rowHeight + rowHeight);',
    tests: RENDERER_TESTS,
  },
];
