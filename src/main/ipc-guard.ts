import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { IPC_CHANNELS, IPC_PREFIX, type IpcChannel } from '../shared/contract';

/** How a handler learns who is asking. */
export interface SenderCheck<W> {
  /** The app's window that owns these WebContents, if any. */
  windowFor(contents: WebContents): W | undefined;
  /** True for the URL of an app page (see renderer-location.ts). */
  isAppUrl(url: string): boolean;
}

export function isAppChannel(name: string): name is IpcChannel {
  return name.startsWith(IPC_PREFIX) && IPC_CHANNELS.includes(name);
}

/**
 * `ipcMain.handle` for one of the app's channels, answering only the top frame of an app page in
 * one of the app's windows. Arguments arrive as `unknown[]`: each handler checks its own.
 */
export function handleFromApp<W>(
  ipc: Pick<IpcMain, 'handle'>,
  channel: IpcChannel,
  check: SenderCheck<W>,
  handler: (window: W, args: unknown[]) => unknown,
): void {
  if (!isAppChannel(channel)) throw new Error(`not an app IPC channel: ${String(channel)}`);
  ipc.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const refusal = refuseSender(event.senderFrame, check);
    if (refusal) throw new Error(`${channel}: refused: ${refusal}`);
    const window = check.windowFor(event.sender);
    if (window === undefined) throw new Error(`${channel}: refused: not an app window`);
    return handler(window, args);
  });
}

/** Why a frame may not talk to main, or undefined when it may. */
export function refuseSender(
  frame: WebFrameMain | null,
  check: Pick<SenderCheck<unknown>, 'isAppUrl'>,
): string | undefined {
  if (!frame) return 'the frame is gone';
  if (frame.parent !== null) return 'a subframe';
  if (!check.isAppUrl(frame.url)) return `a foreign page (${frame.url})`;
  return undefined;
}
