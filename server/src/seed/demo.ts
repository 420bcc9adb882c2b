import type { AppContext } from '../context.js';
import { hashPassword } from '../accounts/password.js';

export type DemoLogin = { role: string; username: string; password: string };

/** Seeds the demo on an empty database; returns the log-ins to print. Later parts add the contest. */
export async function seedDemo(ctx: AppContext): Promise<DemoLogin[] | null> {
  const { User } = ctx.models;
  if ((await User.estimatedDocumentCount()) > 0) return null;
  const admin = { role: 'admin', username: 'admin', password: 'admin-demo-2026' };
  await User.create({ username: admin.username, displayName: '系统管理员', passwordHash: await hashPassword(admin.password), isAdmin: true });
  return [admin];
}
