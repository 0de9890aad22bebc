export * from './tables';
export * from './profile';
export * from './timeline-tables';
export { Growable, StringInterner } from './growable';
export { checkProfile } from './integrity';
