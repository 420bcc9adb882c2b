import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '@pingxuan/shared';
import { IdSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { hashSecret } from '../accounts/tokens.js';
import { badRequest, forbidden, unauthorized } from './errors.js';

export type AuthUser = {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  sessionId: string;
};

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthUser;
    /** Roles of the signed-in user in the contest named by :contestId (admins count as organizers). */
    contestRoles?: Role[];
    /** Set when the caller reaches this contest only as a school organizer: the one school they may see. */
    schoolScope?: string | null;
  }
}

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-pingxuan' : 'pingxuan_sid');

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

const TOUCH_EVERY_MS = 60_000;

/** Attaches req.user from the session cookie; never rejects by itself. */
export function sessionMiddleware(ctx: AppContext): RequestHandler {
  const name = sessionCookieName(ctx.config.secureCookies);
  return async (req, _res, next) => {
    const token = readCookie(req, name);
    if (!token || token.length > 100) return next();
    const { Session, User } = ctx.models;
    const session = await Session.findOne({ tokenHash: hashSecret(token) }).lean();
    const now = ctx.now();
    if (!session || session.expiresAt <= now) return next();
    if (now.getTime() - session.lastSeenAt.getTime() > ctx.config.sessionIdleMs) {
      await Session.deleteOne({ _id: session._id });
      return next();
    }
    const user = await User.findById(session.userId).lean();
    if (!user || user.disabled) return next();
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS)
      await Session.updateOne({ _id: session._id }, { $set: { lastSeenAt: now } });
    req.user = {
      id: String(user._id),
      username: user.username,
      displayName: user.displayName,
      isAdmin: user.isAdmin,
      sessionId: String(session._id),
    };
    next();
  };
}

export const requireAuth: RequestHandler = (req, _res, next) => next(req.user ? undefined : unauthorized());

export const requireAdmin: RequestHandler = (req, _res, next) =>
  next(!req.user ? unauthorized() : req.user.isAdmin ? undefined : forbidden('Administrators only'));

/**
 * Lets through members of the contest in :contestId holding one of `roles`; checked on every request,
 * so a membership removed mid-session denies the very next call.
 */
export function requireContestRole(ctx: AppContext, ...roles: Role[]): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(unauthorized());
    const id = IdSchema.safeParse(req.params.contestId);
    if (!id.success)
      return next(
        badRequest(`params.contestId: ${id.error.issues[0]?.message}`, [
          { path: 'params.contestId', message: 'invalid id' },
        ]),
      );
    const memberships = await ctx.models.Membership.find(
      { contestId: id.data, userId: req.user.id },
      { role: 1, school: 1 },
    ).lean();
    const held = memberships.map((m) => m.role as Role);
    if (req.user.isAdmin && !held.includes('organizer')) held.push('organizer');
    req.contestRoles = held;
    req.schoolScope = held.includes('organizer')
      ? null
      : (memberships.find((m) => m.role === 'schoolOrganizer')?.school ?? null);
    if (!held.some((r) => roles.includes(r)))
      return next(forbidden('No access to this contest in this role'));
    next();
  };
}

export const actorOf = (req: Request) =>
  req.user ? { userId: req.user.id, username: req.user.username } : { userId: null, username: null };
