import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { AccountsService } from './accounts.service.js';

/**
 * A production database starts with one administrator and nothing else (no demo with its published
 * passwords). The password is the configured one, or a random one answered once for the start-up log.
 */
export async function bootstrapAdmin(
  ctx: AppContext,
  opts: { username: string; password: string | undefined },
): Promise<{ username: string; generatedPassword: string | null } | null> {
  const { User } = ctx.models;
  if ((await User.estimatedDocumentCount()) > 0) return null;
  const generated = opts.password ? null : randomBytes(18).toString('base64url');
  const password = opts.password ?? generated!;
  await new AccountsService(ctx).createUser({
    username: opts.username,
    displayName: '系统管理员',
    password,
    isAdmin: true,
  });
  await ctx.audit.append({
    actor: null,
    action: 'user.bootstrapAdmin',
    target: { type: 'user', id: opts.username },
  });
  return { username: opts.username, generatedPassword: generated };
}
