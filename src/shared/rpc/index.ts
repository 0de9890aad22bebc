export * from './messages';
export * from './client';
export * from './server';
export * from './codec';
