import mongoose from 'mongoose';
import type { CreateUser, Me, Role } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { conflict } from '../http/errors.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { hashSecret, newSecret, newSignInCode, normalizeSignInCode } from './tokens.js';

export type SessionTicket = { token: string; expiresAt: Date };

export class AccountsService {
  constructor(private readonly ctx: AppContext) {}

  async createUser(input: CreateUser) {
    const { User } = this.ctx.models;
    if (await User.exists({ username: input.username })) throw conflict(`Username "${input.username}" is taken`, { field: 'username' });
    const passwordHash = await hashPassword(input.password);
    return User.create({ username: input.username, displayName: input.displayName, passwordHash, isAdmin: input.isAdmin });
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
