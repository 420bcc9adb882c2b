// The app under load, in its own process (forked by contest-100k.ts), so the load tool and the test
// database never share its event loop and its RSS is the server's alone.
// Env: BENCH_DB_URI (with database name), BENCH_DB_MAJORITY=1 for a replica set.
// Tells the parent { ready, port } once listening; answers 'stats' messages with { memory, open }, `open`
// being the requests not answered yet (including those whose client gave up: the handler still runs).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { createApp, prepareDatabase, testConfig } from '../../server/src/index.ts';

async function main() {
  const uri = process.env.BENCH_DB_URI;
  if (!uri || !process.send) throw new Error('bench-server runs only as a forked child with BENCH_DB_URI');
  // As server/src/main.ts does against a replica set: an acknowledged write is a majority write.
  const conn = await mongoose
    .createConnection(uri, process.env.BENCH_DB_MAJORITY === '1' ? { writeConcern: { w: 'majority' } } : {})
    .asPromise();
  // Sign-in limits are per name and address; 300 judges on one address is the bench, not an attack.
  const app = createApp({ conn, config: testConfig({ secureCookies: false, loginRateLimit: 100_000 }) });
  await prepareDatabase(app.locals.ctx.models);
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    open.add(res);
    app(req, res);
  });
  server.listen(0, '127.0.0.1', () => {
    process.send!({ ready: true, port: (server.address() as AddressInfo).port });
  });
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stats') return;
    // 'finish' never comes for a client that hung up; writableEnded tells that the handler answered.
    for (const res of open) if (res.writableEnded) open.delete(res);
    process.send!({ stats: { memory: process.memoryUsage(), open: open.size } });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close();
    void conn.close().finally(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
