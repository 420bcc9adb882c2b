// Starts the real app on a real MongoDB (whatever the global setup picked) in a fresh database per test file.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { inject } from 'vitest';
import { createApp, prepareDatabase, testConfig, hashPassword, type AppConfig, type AppContext } from '@pingxuan/server';

export type Reply<T = any> = { status: number; body: T; headers: Headers };

/** A browser-like client: keeps its own cookies. */
export class Client {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let payload: RequestInit['body'];
    if (body instanceof FormData || typeof body === 'string' || body instanceof Uint8Array) payload = body as RequestInit['body'];
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('application/json') ? await res.json() : type.startsWith('text/') ? await res.text() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get = <T = any>(p: string, headers?: Record<string, string>) => this.request<T>('GET', p, undefined, headers);
  post = <T = any>(p: string, b?: unknown, headers?: Record<string, string>) => this.request<T>('POST', p, b, headers);
  put = <T = any>(p: string, b?: unknown, headers?: Record<string, string>) => this.request<T>('PUT', p, b, headers);
  patch = <T = any>(p: string, b?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', p, b, headers);
  delete = <T = any>(p: string, headers?: Record<string, string>) => this.request<T>('DELETE', p, undefined, headers);
  clearCookies() {
    this.cookies.clear();
  }
}

export type TestApp = {
  url: string;
  ctx: AppContext;
  conn: mongoose.Connection;
  client: () => Client;
  /** Creates a user directly in the database and returns a signed-in client. */
  signedIn: (username: string, opts?: { isAdmin?: boolean; password?: string }) => Promise<Client>;
  close: () => Promise<void>;
};

let userSeq = 0;

export async function startTestApp(config: Partial<AppConfig> = {}): Promise<TestApp> {
  const dbName = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const conn = await mongoose.createConnection(inject('mongoUri') + dbName).asPromise();
  const app = createApp({ conn, config: testConfig({ secureCookies: false, loginRateLimit: 1000, ...config }) });
  const ctx = app.locals.ctx;
  await prepareDatabase(ctx.models);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const passwordHashes = new Map<string, string>();
  return {
    url,
    ctx,
    conn,
    client: () => new Client(url),
    async signedIn(username, opts = {}) {
      const password = opts.password ?? 'correct horse battery';
      let hash = passwordHashes.get(password);
      if (!hash) passwordHashes.set(password, (hash = await hashPassword(password)));
      const existing = await ctx.models.User.findOne({ username });
      if (!existing)
        await ctx.models.User.create({ username, displayName: `${username} ${++userSeq}`, passwordHash: hash, isAdmin: opts.isAdmin ?? false });
      const c = new Client(url);
      const r = await c.post('/api/auth/login', { username, password });
      if (r.status !== 200) throw new Error(`sign-in of ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

/** Snapshot of every collection (minus volatile ones) to prove a rejected request changed nothing. */
export async function snapshot(conn: mongoose.Connection, skip: string[] = ['sessions', 'auditevents']): Promise<string> {
  const out: Record<string, unknown[]> = {};
  const colls = (await conn.db!.listCollections().toArray()).map((c) => c.name).sort();
  for (const name of colls) {
    if (skip.includes(name)) continue;
    out[name] = await conn.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  }
  return JSON.stringify(out);
}
