import type { MessagePort as WorkerMessagePort, Worker } from 'node:worker_threads';
import type { PortLike, RpcMessage } from '../shared/rpc';

/**
 * Adapters from the ports the session can be reached through to the RPC's PortLike. Electron's
 * shapes are declared structurally here: nothing under src/session imports `electron`.
 */

/** Electron's utility-process `process.parentPort` (structural). */
export interface ElectronParentPort {
  on(
    event: 'message',
    listener: (e: { data: unknown; ports: ElectronMessagePortMain[] }) => void,
  ): unknown;
  off?(
    event: 'message',
    listener: (e: { data: unknown; ports: ElectronMessagePortMain[] }) => void,
  ): unknown;
  postMessage(message: unknown): void;
}

/** Electron's MessagePortMain (structural). */
export interface ElectronMessagePortMain {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off?(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export function electronParentPort(port: ElectronParentPort): PortLike {
  return {
    postMessage: (m: RpcMessage) => port.postMessage(m),
    onMessage: (listener) => {
      const l = (e: { data: unknown }): void => listener(e.data);
      port.on('message', l);
      return () => port.off?.('message', l);
    },
  };
}

export function electronMessagePort(port: ElectronMessagePortMain): PortLike {
  const p: PortLike = {
    postMessage: (m: RpcMessage) => port.postMessage(m),
    onMessage: (listener) => {
      const l = (e: { data: unknown }): void => listener(e.data);
      port.on('message', l);
      return () => port.off?.('message', l);
    },
    onClose: (listener) => {
      port.on('close', listener);
      return () => {};
    },
    close: () => port.close(),
  };
  port.start();
  return p;
}

export function workerPort(port: WorkerMessagePort | Worker): PortLike {
  return {
    postMessage: (m: RpcMessage) => port.postMessage(m),
    onMessage: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
    onClose: (listener) => {
      port.on('exit' as 'close', listener);
      port.on('close', listener);
      return () => {};
    },
  };
}

/** A forked child's IPC channel (`child_process.fork` with `serialization: 'advanced'`). */
export interface ProcessChannel {
  send?(message: unknown): boolean;
  on(event: 'message', listener: (m: unknown) => void): unknown;
  on(event: 'disconnect' | 'exit', listener: () => void): unknown;
  off(event: 'message', listener: (m: unknown) => void): unknown;
}

export function processPort(channel: ProcessChannel): PortLike {
  return {
    postMessage: (m: RpcMessage) => {
      channel.send?.(m);
    },
    onMessage: (listener) => {
      channel.on('message', listener);
      return () => channel.off('message', listener);
    },
    onClose: (listener) => {
      channel.on('disconnect', listener);
      channel.on('exit', listener);
      return () => {};
    },
  };
}
