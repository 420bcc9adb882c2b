import mongoose from 'mongoose';
import { pino } from 'pino';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createApp, prepareDatabase } from './app.js';
import { loadConfig } from './config.js';
import { NoDatabaseError, openDatabase } from './db/database.js';
import { repairScoreAudit } from './scores/scores.service.js';
import { seedDemo } from './seed/demo.js';
import { bootstrapAdmin } from './accounts/bootstrap.js';
import { generateDemoPhotos } from './seed/photos.js';

const config = loadConfig();
const here = path.dirname(fileURLToPath(import.meta.url));
config.clientDir ??= path.resolve(here, '../../client/dist');
const logger = pino({ level: config.logLevel });

async function main() {
  const db = await openDatabase(config, logger);
  // Majority write concern: a 2xx means the score survives a primary failover.
  const conn = await mongoose
    .createConnection(db.uri, { serverSelectionTimeoutMS: 15_000, ...(db.kind === 'uri' ? { writeConcern: { w: 'majority' } } : {}) })
    .asPromise();
  const app = createApp({ conn, config, logger });
  await prepareDatabase(app.locals.ctx.models);
  // Score changes whose audit event a crash cut off get it now, before any new change.
  const repaired = await repairScoreAudit(app.locals.ctx);
  if (repaired) logger.warn({ repaired }, 'appended the audit events of score changes cut off by the last stop');
  const demo = config.seedDemo ? await seedDemo(app.locals.ctx) : null;
  const admin = config.seedDemo ? null : await bootstrapAdmin(app.locals.ctx, { username: config.adminUsername, password: config.adminPassword });

  const server = app.listen(config.port, config.host, () => {
    const url = config.publicUrl ?? `http://localhost:${config.port}`;
    const lines = [`评选 Pingxuan is running at ${url}`, `database: ${process.env.PINGXUAN_OFFLINE_DEMO ? 'in-process test server (offline demo: nothing is kept)' : db.kind === 'uri' ? 'MONGODB_URI' : `embedded mongod (${config.dataDir})`}`];
    if (demo)
      lines.push(
        'demo log-ins:',
        ...demo.logins.map((l) => `  ${l.role.padEnd(10)} ${l.username} / ${l.password}`),
        `  judge code  ${demo.judgeCode}  (one-time sign-in for judge02: ${url}/judge/sign-in?code=${demo.judgeCode})`,
        `  teacher     ${url}${demo.feedbackPath}  (private feedback link of entry BB001)`,
      );
    else if (admin)
      lines.push(
        admin.generatedPassword
          ? `first administrator: ${admin.username} / ${admin.generatedPassword}  (shown once: sign in and change it)`
          : `first administrator: ${admin.username} (password from ADMIN_PASSWORD)`,
      );
    else if (config.seedDemo) lines.push('(demo already seeded; log-ins as printed at first start, see README)');
    console.log(lines.join('\n'));
    drawPhotos();
  });

  // The demo's blackboard photos are drawn after start-up so the server answers at once.
  const drawing = new AbortController();
  const drawPhotos = () => {
    const started = Date.now();
    generateDemoPhotos(app.locals.ctx, { signal: drawing.signal })
      .then((n) => n && logger.info({ photos: n, seconds: Math.round((Date.now() - started) / 1000) }, 'demo photos drawn'))
      .catch((err) => logger.warn({ err }, 'could not draw the demo photos; the contest works without them'));
  };

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    drawing.abort();
    server.close();
    await conn.close();
    await db.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof NoDatabaseError) console.error(err.message);
  else logger.fatal({ err }, 'failed to start');
  process.exit(1);
});
