export * from './session-api';
export * from './errors';
