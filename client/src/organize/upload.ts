import { ApiError, errorFromResponse } from '../api';

/** POSTs one file as multipart `file` (the shared api helper speaks JSON only); errors as ApiError. */
export async function postFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
  }
  const body: unknown = (res.headers.get('content-type') ?? '').includes('application/json')
    ? await res.json().catch(() => undefined)
    : undefined;
  if (!res.ok) throw errorFromResponse(res.status, body);
  return body as T;
}
