import mongoose from 'mongoose';
import {
  USER_LIST_LIMIT,
  type ChangePassword,
  type CreateUser,
  type Me,
  type Role,
  type UserList,
  type UserSummary,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { UserDoc } from './accounts.model.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { hashSecret, newSecret, newSignInCode, normalizeSignInCode } from './tokens.js';

export type SessionTicket = { token: string; expiresAt: Date };

/** Text searched as text: metacharacters escaped, and NUL as `\x00` (BSON cannot carry a NUL in a pattern). */
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');

export class AccountsService {
  constructor(private readonly ctx: AppContext) {}

  async createUser(input: CreateUser) {
    const { User } = this.ctx.models;
    if (await User.exists({ username: input.username })) throw conflict(`Username "${input.username}" is taken`, { field: 'username' });
    const passwordHash = await hashPassword(input.password);
    return User.create({ username: input.username, displayName: input.displayName, passwordHash, isAdmin: input.isAdmin });
  }

  static summary(u: UserDoc): UserSummary {
    return {
      id: String(u._id),
      username: u.username,
      displayName: u.displayName,
      isAdmin: u.isAdmin,
      disabled: u.disabled,
      createdAt: (u.createdAt ?? new Date(0)).toISOString(),
    };
  }

  /** Accounts whose username or display name contains `q` (any case), by username; a page at most. */
  async listUsers(q: string): Promise<UserList> {
    const filter: Record<string, unknown> = {};
    if (q) {
      const re = new RegExp(escapeRegex(q), 'i');
      filter.$or = mongoose.trusted([{ username: re }, { displayName: re }]);
    }
    const docs = await this.ctx.models.User.find(filter, { passwordHash: 0 })
      .sort({ username: 1 })
      .limit(USER_LIST_LIMIT + 1)
      .lean<UserDoc[]>();
    return {
      users: docs.slice(0, USER_LIST_LIMIT).map(AccountsService.summary),
      more: docs.length > USER_LIST_LIMIT,
    };
  }

  /**
   * Replaces the signed-in user's password after checking the current one, and closes every other session
   * of theirs (a stolen session dies with the old password); the session in hand stays open.
   */
  async changePassword(userId: string, sessionId: string, input: ChangePassword): Promise<void> {
    const { User, Session } = this.ctx.models;
    const user = await User.findById(userId).lean();
    if (!user) throw notFound('User');
    if (!user.passwordHash)
      throw conflict('This account signs in with one-time codes and has no password to change', {
        reason: 'no_password',
      });
    if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
      throw badRequest('body.currentPassword: wrong password', [
        { path: 'body.currentPassword', message: 'wrong password' },
      ]);
    const passwordHash = await hashPassword(input.newPassword);
    // Only over the hash just checked: two changes racing cannot both win.
    const done = await User.updateOne(
      { _id: user._id, passwordHash: user.passwordHash },
      { $set: { passwordHash } },
    );
    if (done.modifiedCount !== 1) throw conflict('The password was changed meanwhile; sign in again');
    await Session.deleteMany({
      userId: user._id,
      _id: mongoose.trusted({ $ne: new mongoose.Types.ObjectId(sessionId) }),
    });
  }

  /** Disables or enables an account; a disabled one loses every session at once. */
  async setDisabled(
    actorId: string,
    userId: string,
    disabled: boolean,
  ): Promise<{ before: UserSummary; after: UserSummary }> {
    const { User, Session } = this.ctx.models;
    if (disabled && actorId === userId)
      throw conflict('You cannot disable your own account', { reason: 'self' });
    const before = await User.findById(userId).lean<UserDoc>();
    if (!before) throw notFound('User');
    const after = await User.findOneAndUpdate(
      { _id: before._id },
      { $set: { disabled } },
      { returnDocument: 'after' },
    ).lean<UserDoc>();
    if (!after) throw notFound('User');
    if (disabled) await Session.deleteMany({ userId: before._id });
    return { before: AccountsService.summary(before), after: AccountsService.summary(after) };
  }

  /** Returns the user id when the password matches; always spends one hash so timing says nothing. */
  async checkPassword(username: string, password: string): Promise<string | null> {
    const user = await this.ctx.models.User.findOne({ username }).lean();
    if (!user || !user.passwordHash || user.disabled) {
      await verifyPassword(password, await dummyPasswordHash());
      return null;
    }
    return (await verifyPassword(password, user.passwordHash)) ? String(user._id) : null;
  }

  /** A new session id at every sign-in (no fixation); the cookie holds the secret, the database its hash. */
  async openSession(userId: string): Promise<SessionTicket> {
    const token = newSecret();
    const now = this.ctx.now();
    const expiresAt = new Date(now.getTime() + this.ctx.config.sessionAbsoluteMs);
    await this.ctx.models.Session.create({ tokenHash: hashSecret(token), userId, createdAt: now, lastSeenAt: now, expiresAt });
    return { token, expiresAt };
  }

  async closeSession(sessionId: string) {
    await this.ctx.models.Session.deleteOne({ _id: sessionId });
  }

  async me(userId: string): Promise<Me | null> {
    const { User, Membership } = this.ctx.models;
    const user = await User.findById(userId).lean();
    if (!user) return null;
    const memberships = await Membership.find({ userId }).lean();
    return {
      id: String(user._id),
      username: user.username,
      displayName: user.displayName,
      isAdmin: user.isAdmin,
      memberships: memberships.map((m) => ({ contestId: String(m.contestId), role: m.role as Role })),
    };
  }

  /** Issues a fresh one-time code for a judge; earlier unused codes of that judge stop working. */
  async issueSignInCode(userId: string, contestId: string, validHours = 72): Promise<{ code: string; expiresAt: Date }> {
    const { SignInCode } = this.ctx.models;
    const now = this.ctx.now();
    await SignInCode.deleteMany({ userId, contestId, usedAt: null });
    const code = newSignInCode();
    const expiresAt = new Date(now.getTime() + validHours * 3_600_000);
    await SignInCode.create({ codeHash: hashSecret(normalizeSignInCode(code)), userId, contestId, createdAt: now, expiresAt });
    return { code, expiresAt };
  }

  /** Consumes a code atomically: two tablets racing with one code get one session. */
  async redeemSignInCode(code: string): Promise<{ userId: string; contestId: string } | null> {
    const now = this.ctx.now();
    const used = await this.ctx.models.SignInCode.findOneAndUpdate(
      { codeHash: hashSecret(normalizeSignInCode(code)), usedAt: null, expiresAt: mongoose.trusted({ $gt: now }) },
      { $set: { usedAt: now } },
      { returnDocument: 'after' },
    ).lean();
    if (!used) return null;
    const user = await this.ctx.models.User.findById(used.userId).lean();
    if (!user || user.disabled) return null;
    return { userId: String(used.userId), contestId: String(used.contestId) };
  }
}
