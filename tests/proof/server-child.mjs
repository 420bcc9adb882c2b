// The product as the proofs run it: a child process (forked by tests/proof/child.ts) that imports the server
// (server/dist/index.js by default, the built product; PROOF_SERVER may name server/src/index.ts under tsx),
// calls createApp and listens. Killing it with SIGKILL is the fault the proofs inject.
// Env: PROOF_DB_URI (with the database name), PROOF_DB_MAJORITY=1 for a replica set, PROOF_PORT,
// PROOF_SERVER (module path), PROOF_LOG_LEVEL (default silent), PROOF_COUNT_COMMANDS=1 to count the database
// commands the requests make. Tells the parent { ready, port, repaired } over IPC; answers { type: 'commands' } with
// { commands: { <name>: { n, ms } } } so far.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mongoose from 'mongoose';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverModule = path.resolve(here, '../..', process.env.PROOF_SERVER || 'server/dist/index.js');
const { createApp, prepareDatabase, repairScoreAudit, testConfig } = await import(
  pathToFileURL(serverModule).href
);

const uri = process.env.PROOF_DB_URI;
if (!uri || !process.send) throw new Error('server-child runs only as a forked child with PROOF_DB_URI');

// As server/src/main.ts does against a replica set: an acknowledged score is a majority write.
const conn = await mongoose
  .createConnection(uri, {
    ...(process.env.PROOF_DB_MAJORITY === '1' && { writeConcern: { w: 'majority' } }),
    ...(process.env.PROOF_COUNT_COMMANDS === '1' && { monitorCommands: true }),
  })
  .asPromise();
/** Database commands by name: how many, and their summed round-trip time in ms as the driver saw it. */
const commands = {};
conn.getClient().on('commandSucceeded', (e) => {
  const c = (commands[e.commandName] ??= { n: 0, ms: 0 });
  c.n++;
  c.ms += e.duration;
});
// Hundreds of judges sign in from one loopback address: that is the proof, not an attack.
const app = createApp({
  conn,
  config: testConfig({
    secureCookies: false,
    loginRateLimit: 100_000,
    logLevel: process.env.PROOF_LOG_LEVEL || 'silent',
  }),
});
await prepareDatabase(app.locals.ctx.models);
// As server/src/main.ts does: score changes whose audit event the last kill cut off get it before listening.
const repaired = await repairScoreAudit(app.locals.ctx);

const server = app.listen(Number(process.env.PROOF_PORT || 0), '127.0.0.1', () => {
  process.send({ ready: true, port: server.address().port, repaired });
});
server.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
process.on('message', (m) => {
  if (m?.type === 'commands') process.send({ type: 'commands', commands });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
  void conn.close().finally(() => process.exit(0));
});
