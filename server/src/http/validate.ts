import type { Request } from 'express';
import type { z } from 'zod';
import { HttpError, describe, zodFields } from './errors.js';

/** Parses one part of a request with a strict zod schema; a failure is a 400 naming each field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, source: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const fields = zodFields(result.error, source);
    throw new HttpError(400, 'bad_request', describe(fields), { fields });
  }
  return result.data;
}

export const body = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.body, 'body');
export const query = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.query, 'query');
export const params = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.params, 'params');
