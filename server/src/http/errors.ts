import type { ErrorRequestHandler } from 'express';
import mongoose from 'mongoose';
import { ZodError } from 'zod';
import type { Logger } from 'pino';

export type ErrorBody = {
  error: { code: string; message: string; fields?: { path: string; message: string }[]; [k: string]: unknown };
};

/** An error with an HTTP status that routes throw and the error handler answers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: { path: string; message: string }[]) =>
  new HttpError(400, 'bad_request', message, fields ? { fields } : {});
export const unauthorized = () => new HttpError(401, 'unauthenticated', 'Sign in first');
export const forbidden = (message = 'Not allowed') => new HttpError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new HttpError(409, 'conflict', message, details);

/** Zod issues become field paths such as `criteria.2.maxScore`, with the source (body, query, params) first. */
export function zodFields(err: ZodError, source?: string) {
  return err.issues.map((i) => ({
    path: [...(source ? [source] : []), ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...err.details } });
      return;
    }
    if (err instanceof ZodError) {
      const fields = zodFields(err);
      res.status(400).json({ error: { code: 'bad_request', message: describe(fields), fields } });
      return;
    }
    // body-parser: malformed JSON or too large
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      const code = err.type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
      res.status(err.status).json({ error: { code, message: err.expose ? err.message : 'Bad request' } });
      return;
    }
    if (err?.code === 11000) {
      res.status(409).json({
        error: { code: 'duplicate', message: 'Already exists', keyValue: err.keyValue ?? undefined },
      });
      return;
    }
    if (err instanceof mongoose.Error.CastError || err instanceof mongoose.Error.ValidationError) {
      res.status(400).json({ error: { code: 'bad_request', message: err.message } });
      return;
    }
    logger.error({ err }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Internal server error' } });
  };
}

export function describe(fields: { path: string; message: string }[]) {
  return fields.map((f) => `${f.path || '(body)'}: ${f.message}`).join('; ');
}
