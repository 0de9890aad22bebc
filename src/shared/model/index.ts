export * from './tables';
export * from './profile';
export { Growable, StringInterner } from './growable';
export { checkProfile } from './integrity';
