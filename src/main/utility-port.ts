import type { UtilityProcess } from 'electron';
import type { PortLike } from '../shared/rpc';

/**
 * A utility process as an RPC port: `child.postMessage` out, `child.on('message')` in (Electron
 * delivers the data itself, not an event), and the child's exit as the port closing.
 */
export function utilityProcessPort(child: UtilityProcess): PortLike {
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onClose: (listener) => {
      const onExit = (): void => listener();
      child.on('exit', onExit);
      return () => child.off('exit', onExit);
    },
  };
}
