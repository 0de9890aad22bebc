export * from './session-api';
export * from './errors';
export * from './host-api';
export * from './merged-export-api';
export * from './served-host-api';
export * from './symbol-options';
