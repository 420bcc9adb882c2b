import { existsSync } from 'node:fs';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MONGODB_URI: z.string().url().optional(),
  /** Where the embedded mongod keeps its data between restarts. */
  DATA_DIR: z.string().default('.data'),
  /** Secure cookies need HTTPS (or localhost); a LAN deployment over plain HTTP sets this to false. */
  SECURE_COOKIES: bool.default(true),
  /** Number of reverse proxies in front of the server (for client IPs in rate limits). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).default(8 * 60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(7 * 24),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  WRITE_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  MAX_UPLOAD_MB: z.coerce.number().min(1).max(100).default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public URL used in QR sign-in links and feedback links. */
  PUBLIC_URL: z.string().url().optional(),
  /** Built client to serve; empty disables. */
  CLIENT_DIR: z.string().optional(),
  /** A font with Chinese glyphs for the award certificates (TTF, OTF or a TTC collection). */
  FONT_PATH: z.string().optional(),
  /** Seed the demo contest (with its published demo passwords) into an empty database; off in production. */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  /** The first administrator of an empty production database; a password is generated and printed when unset. */
  ADMIN_USERNAME: z.string().regex(/^[A-Za-z0-9._@-]{3,64}$/).default('admin'),
  ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
});

/** Where Debian's CJK font packages put their fonts, best first (fonts-noto-cjk, then older packages). */
export const CJK_FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
];

export type AppConfig = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  mongodbUri: string | undefined;
  dataDir: string;
  secureCookies: boolean;
  trustProxyHops: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginRateLimit: number;
  writeRateLimit: number;
  maxUploadBytes: number;
  logLevel: string;
  publicUrl: string | undefined;
  clientDir: string | undefined;
  /** Certificate font; undefined when none was configured or found (certificates then answer 503). */
  fontPath: string | undefined;
  seedDemo: boolean;
  adminUsername: string;
  adminPassword: string | undefined;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    secureCookies: e.SECURE_COOKIES,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    writeRateLimit: e.WRITE_RATE_LIMIT,
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    clientDir: e.CLIENT_DIR,
    // A configured path is kept even when missing, so the 503 names it instead of silently using another font.
    fontPath: e.FONT_PATH || CJK_FONT_CANDIDATES.find((p) => existsSync(p)),
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV !== 'production',
    adminUsername: e.ADMIN_USERNAME,
    adminPassword: e.ADMIN_PASSWORD,
  };
}

/** Config for tests: everything default, quiet, generous limits unless overridden. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), ...overrides };
}
