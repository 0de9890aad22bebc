import type { Profile } from '../shared/model';
import { SessionError } from '../shared/contract/errors';
import { symbolSettings } from './common-options';
import { exitOnUsageError, openRecording, printError, reportWarnings } from './io';
import {
  FilterUsageError,
  transformsOf,
  type FoldingCliOptions,
  type SampleFilterOptions,
} from './sample-filters';

/**
 * What collapse and export do around their own output: check the `--transform`s before the
 * recording is read (exit 2 for a bad one, or for any when `transformsRefused` says why the
 * command refuses them), load the recording with the command's symbol settings, report its
 * warnings, then `write` the profile. A usage or session error becomes its message and exit
 * status 2; the recording is closed at the end. Returns the exit status.
 */
export async function withFilteredProfile(
  opts: FoldingCliOptions & { input?: string },
  filterOptions: SampleFilterOptions,
  write: (profile: Profile) => Promise<number>,
  transformsRefused?: string,
): Promise<number> {
  // loaded on demand: `perfws --help` and the light commands start without it
  const { loadProfile } = await import('../session/model/model-builder');
  try {
    if (transformsOf(filterOptions).length && transformsRefused) {
      printError(transformsRefused);
      return 2;
    }
  } catch (e) {
    return exitOnUsageError(e, FilterUsageError);
  }
  const reader = openRecording(opts.input);
  if (!reader) return 1;
  try {
    const profile = await loadProfile(reader, {
      symbols: symbolSettings(opts),
      // merged stacks only, unless asked for them as recorded
      rawView: filterOptions.mergeCallchains === false,
    });
    reportWarnings(reader);
    return await write(profile);
  } catch (e) {
    return exitOnUsageError(e, e instanceof SessionError ? SessionError : FilterUsageError);
  } finally {
    reader.close();
  }
}
