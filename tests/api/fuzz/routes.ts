// Every route of the app, read from Express's router stack (so a route added tomorrow is fuzzed tomorrow).
import type { Express } from 'express';

/** What an upload middleware takes; set on the middleware by the fuzz test's wrapper of http/uploads. */
export type UploadSpec = { field: string; kind: 'table' | 'photos'; maxBytes: number; maxFiles: number };
export const UPLOAD_TAG = Symbol.for('pingxuan.fuzz.upload');

export type RouteInfo = {
  method: string;
  /** Full path with `:params`, e.g. `/api/contests/:contestId/entries`. */
  path: string;
  params: string[];
  upload: UploadSpec | null;
  key: string;
};

type Layer = {
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] };
  handle: any;
  rawPath?: unknown;
};

export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') continue; // the client's catch-all regex, not an API route
        const path = prefix + layer.route.path;
        const upload =
          layer.route.stack.map((l) => l.handle?.[UPLOAD_TAG] as UploadSpec | undefined).find(Boolean) ??
          null;
        for (const [m, on] of Object.entries(layer.route.methods)) {
          if (!on || m === '_all') continue;
          const method = m.toUpperCase();
          out.push({
            method,
            path,
            params: [...path.matchAll(/:(\w+)/g)].map((x) => x[1]!),
            upload,
            key: `${method} ${path}`,
          });
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as any).router.stack, '');
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
