import { Router } from 'express';
import type { AppContext } from '../context.js';

const STATES: Record<number, string> = { 0: 'disconnected', 1: 'connected', 2: 'connecting', 3: 'disconnecting' };

export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const state = STATES[ctx.conn.readyState] ?? 'unknown';
    let pingMs: number | null = null;
    if (state === 'connected') {
      const t = performance.now();
      try {
        await ctx.conn.db!.admin().ping();
        pingMs = Math.round((performance.now() - t) * 10) / 10;
      } catch {
        pingMs = null;
      }
    }
    const ok = state === 'connected' && pingMs !== null;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database: { state, pingMs } });
  });
  return router;
}
