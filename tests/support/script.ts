import { PerfDataReader } from '../../src/session/perf-data/reader';
import { runScript } from '../../src/session/script/run-script';
import { dirname } from 'node:path';
import { fixtureSymbols } from './session';

/**
 * `perfws script` of a recording as text, with the fixtures' symbol sources; `singleThread`
 * false: read by a load worker however small the recording (ScriptOptions.singleThread).
 */
export async function script(
  path: string,
  fields: string[],
  merge = true,
  singleThread?: boolean,
): Promise<string> {
  const reader = PerfDataReader.open(path);
  let text = '';
  try {
    const decoder = new TextDecoder();
    await runScript(reader, {
      fields,
      merge,
      singleThread,
      symbols: fixtureSymbols(dirname(path)),
      write: (b) => (text += decoder.decode(b, { stream: true })),
    });
  } finally {
    reader.close();
  }
  return text;
}
