import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import mongoose, { type Connection } from 'mongoose';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config.js';
import type { AppContext } from './context.js';
import { createModels, type Models } from './models.js';
import { AuditService } from './audit/audit.service.js';
import { errorHandler, notFound } from './http/errors.js';
import { sessionMiddleware } from './http/auth.js';
import { wellFormedBody } from './http/unicode.js';
import { healthRoutes } from './health/health.routes.js';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { judgesRoutes } from './judges/judges.routes.js';
import { contestsRoutes } from './contests/contests.routes.js';
import { scoresRoutes } from './scores/scores.routes.js';
import { entriesRoutes } from './entries/entries.routes.js';
import { feedbackRoutes } from './feedback/feedback.routes.js';
import { resultsRoutes } from './results/results.routes.js';
import { publicRoutes } from './public/public.routes.js';
import { progressRoutes } from './progress/progress.routes.js';
import { assignmentsRoutes } from './assignments/assignments.routes.js';
import { advancementRoutes } from './advancement/advancement.routes.js';
import { certificatesRoutes } from './certificates/certificates.routes.js';
import { measurementsRoutes } from './measurements/measurements.routes.js';

export type AppDeps = {
  conn: Connection;
  config: AppConfig;
  logger?: Logger;
  now?: () => Date;
};

// Filters built from request data never carry operators unless wrapped in mongoose.trusted().
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/** Builds the whole HTTP app on a database connection; the caller decides where (and whether) to listen. */
export function createApp(deps: AppDeps): Express & { locals: { ctx: AppContext } } {
  const logger = deps.logger ?? pino({ level: deps.config.logLevel });
  const models = createModels(deps.conn);
  const now = deps.now ?? (() => new Date());
  const ctx: AppContext = { config: deps.config, conn: deps.conn, models, audit: new AuditService(models, now), logger, now };

  const app = express();
  app.locals.ctx = ctx;
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxyHops);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'upgrade-insecure-requests': null },
      },
      // LAN deployments over plain HTTP must not be pinned to HTTPS.
      strictTransportSecurity: deps.config.secureCookies,
    }),
  );
  if (deps.config.logLevel !== 'silent') app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/api/health' } }));

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(wellFormedBody);
  api.use(sessionMiddleware(ctx));
  api.use(healthRoutes(ctx));
  api.use(accountsRoutes(ctx));
  api.use(auditRoutes(ctx));
  api.use(judgesRoutes(ctx));
  api.use(contestsRoutes(ctx));
  api.use(scoresRoutes(ctx));
  api.use(entriesRoutes(ctx));
  api.use(feedbackRoutes(ctx));
  api.use(resultsRoutes(ctx));
  api.use(certificatesRoutes(ctx));
  api.use(publicRoutes(ctx));
  api.use(progressRoutes(ctx));
  api.use(assignmentsRoutes(ctx));
  api.use(measurementsRoutes(ctx));
  api.use(advancementRoutes(ctx));
  api.use((_req, _res, next) => next(notFound('API route')));
  app.use('/api', api);

  const clientDir = deps.config.clientDir;
  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    // The client's files are compressed (a judge's tablet on venue Wi-Fi loads a third of the bytes); API
    // answers are not, so no secret in them sits next to reflected input in a compressed stream (BREACH).
    const client = express.Router();
    client.use(compression());
    // Vite names assets by content hash: they never change, so they are cached for good.
    client.use('/assets', express.static(path.join(clientDir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
    client.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // Single-page app: every other GET gets index.html, revalidated so a new release is seen at once.
    client.get(/.*/, (_req, res) => res.sendFile(path.join(clientDir, 'index.html'), { headers: { 'cache-control': 'no-cache' } }));
    app.use(client);
  }

  app.use(errorHandler(logger));
  return app as Express & { locals: { ctx: AppContext } };
}

/** Waits until every model's indexes exist, so unique constraints hold from the first write. */
export async function prepareDatabase(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.init()));
}
