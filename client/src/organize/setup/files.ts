import { ApiError, errorFromResponse } from '../../api';

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`/api${path}`, { credentials: 'same-origin', cache: 'no-store', ...init });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
  }
}

async function failure(res: Response): Promise<ApiError> {
  const body: unknown = (res.headers.get('content-type') ?? '').includes('application/json')
    ? await res.json().catch(() => undefined)
    : undefined;
  return errorFromResponse(res.status, body);
}

/** POSTs files as multipart under one field name (`photos`), answers the JSON reply; errors as ApiError. */
export async function postFiles<T>(path: string, field: string, files: readonly File[]): Promise<T> {
  const form = new FormData();
  for (const f of files) form.append(field, f, f.name);
  const res = await send(path, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/**
 * POSTs JSON and saves the answer (a CSV of secrets made for this request) as a file: the response is
 * read here and handed to the browser as a download, since a plain link cannot POST.
 */
export async function postAndDownload(path: string, body: unknown, fallbackName: string): Promise<string> {
  const res = await send(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'text/csv, application/json' },
  });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
