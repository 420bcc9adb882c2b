// The floor of the load proof: a bare Express app with one `POST /insert` doing a mongoose insertOne into the
// same database as the product, run in its own child process as the product is. Nothing the product does
// (sessions, roles, rubric, idempotency, audit) happens here: it is what Express + MongoDB cost by themselves.
// Env: PROOF_DB_URI (with the database name), PROOF_DB_MAJORITY=1 for a replica set. Tells the parent
// { ready, port } over IPC.
import express from 'express';
import mongoose from 'mongoose';

const uri = process.env.PROOF_DB_URI;
if (!uri || !process.send) throw new Error('floor-child runs only as a forked child with PROOF_DB_URI');

// The same write concern as the product's score writes.
const conn = await mongoose
  .createConnection(uri, process.env.PROOF_DB_MAJORITY === '1' ? { writeConcern: { w: 'majority' } } : {})
  .asPromise();
const Insert = conn.model(
  'FloorInsert',
  new mongoose.Schema({ values: mongoose.Schema.Types.Mixed, at: Date }, { versionKey: false }),
);
await Insert.init();

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/insert', async (req, res) => {
  try {
    const doc = await Insert.insertOne({ values: req.body?.values ?? {}, at: new Date() });
    res.status(201).json({ id: String(doc._id) });
  } catch (err) {
    res.status(500).json({ error: String(err) });
  }
});

const server = app.listen(0, '127.0.0.1', () => {
  process.send({ ready: true, port: server.address().port });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
  void conn.close().finally(() => process.exit(0));
});
