export * from './tables';
export * from './profile';
export {
  ChildIndex,
  FrameTableBuilder,
  FuncTableBuilder,
  LibTableBuilder,
  StackTableBuilder,
  StringTableBuilder,
  pairKey,
} from './table-builders';
export { checkProfile } from './integrity';
