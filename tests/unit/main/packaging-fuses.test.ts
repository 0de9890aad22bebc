/**
 * The packaged app's Electron fuses, read as electron-builder reads its configuration (the
 * Electron runtime cannot run here, so the binary itself cannot be inspected).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// Not in the package's public exports: the loader electron-builder itself runs.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';

const ROOT = join(__dirname, '..', '..', '..');

describe('electron-builder configuration', () => {
  it('is valid and flips the fuses the README promises', async () => {
    const config = await getConfig(ROOT, null, null);
    await expect(
      validateConfiguration(config, { add: () => {}, isEnabled: false } as never),
    ).resolves.toBeUndefined();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // onlyLoadAppFromAsar needs an asar; electron-builder makes one unless told not to.
    expect(config.asar ?? true).not.toBe(false);
  });
});
