import type { TracepointField } from './event-format';

/** Field lookup by name the way libtraceevent searches (common fields first for "any"). */
export class FieldLookup {
  constructor(
    readonly commonFields: readonly TracepointField[],
    readonly fields: readonly TracepointField[],
  ) {}

  /** tep_find_any_field: common fields, then the event's own. */
  any(name: string): TracepointField | undefined {
    return this.commonFields.find((f) => f.name === name) ?? this.own(name);
  }

  /** tep_find_field: the event's own fields only. */
  own(name: string): TracepointField | undefined {
    return this.fields.find((f) => f.name === name);
  }
}
