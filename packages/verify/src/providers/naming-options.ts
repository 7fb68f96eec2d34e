import { z } from 'zod';
import { type EventNaming, field, fixed, header, type IdSource } from '../naming.ts';

/** Where the generic providers find the event's ID and type. */
export const namingShape = {
  /** A JSON path in the body, e.g. `data.id`. */
  idField: z.string().min(1).optional(),
  /** A request header, e.g. `X-Event-Id`. */
  idHeader: z.string().min(1).optional(),
  /** A JSON path in the body; `type` unless a type header or a fixed type is given. */
  typeField: z.string().min(1).optional(),
  typeHeader: z.string().min(1).optional(),
  /** One type for every event of this source. */
  eventType: z.string().min(1).optional(),
};

export interface NamingOptions {
  readonly idField?: string | undefined;
  readonly idHeader?: string | undefined;
  readonly typeField?: string | undefined;
  readonly typeHeader?: string | undefined;
  readonly eventType?: string | undefined;
}

const countSet = (...values: (string | undefined)[]) =>
  values.filter((v) => v !== undefined).length;

/** The naming options that may not be combined; for a zod superRefine. */
export function checkNaming(options: NamingOptions, ctx: z.RefinementCtx): void {
  if (countSet(options.idField, options.idHeader) > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['idHeader'],
      message: 'use idField or idHeader, not both',
    });
  }
  if (countSet(options.typeField, options.typeHeader, options.eventType) > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['typeHeader'],
      message: 'use one of typeField, typeHeader or eventType',
    });
  }
}

export function namingFrom(options: NamingOptions, defaultId: IdSource): EventNaming {
  const id =
    options.idHeader !== undefined
      ? header(options.idHeader)
      : options.idField !== undefined
        ? field(options.idField)
        : defaultId;
  const type =
    options.typeHeader !== undefined
      ? header(options.typeHeader)
      : options.eventType !== undefined
        ? fixed(options.eventType)
        : field(options.typeField ?? 'type');
  return { id: [id], type: [type] };
}
