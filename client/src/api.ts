// Typed fetch wrapper for /api: JSON in and out, cookies of this origin, errors as ApiError.

export type FieldError = { path: string; message: string };

/** A failed request: `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** The message the server gave for one field; paths come as `body.username`, so the source is optional. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.path === field || f.path.replace(/^(body|query|params)\./, '') === field)
      ?.message;
  }
}

/** Anything thrown on the way to the server, as an ApiError (status 0 when the server was never reached). */
export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError
    ? err
    : new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
}

/** Reads the server's error body `{ error: { code, message, fields? } }`; anything else still yields an ApiError. */
export function errorFromResponse(status: number, body: unknown): ApiError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, fields, ...details } = error as Record<string, unknown>;
    const list = Array.isArray(fields)
      ? fields.filter((f): f is FieldError => typeof f?.path === 'string' && typeof f?.message === 'string')
      : [];
    return new ApiError(
      status,
      typeof code === 'string' ? code : `http_${status}`,
      typeof message === 'string' ? message : `HTTP ${status}`,
      list,
      details,
    );
  }
  return new ApiError(status, `http_${status}`, `HTTP ${status}`);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (signal) init.signal = signal;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text && (res.headers.get('content-type') ?? '').includes('application/json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'bad_json', 'The server sent malformed JSON');
    }
  }
  if (!res.ok) throw errorFromResponse(res.status, parsed);
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('PUT', path, body, undefined, headers),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** For path segments taken from the URL (ids, tokens). */
export const seg = (s: string) => encodeURIComponent(s);
