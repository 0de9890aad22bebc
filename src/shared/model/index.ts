export * from './tables';
export * from './profile';
export * from './timeline-tables';
export {
  FrameTableBuilder,
  FuncTableBuilder,
  LibTableBuilder,
  StackTableBuilder,
  StringTableBuilder,
  grown,
} from './table-builders';
export { checkProfile } from './integrity';
