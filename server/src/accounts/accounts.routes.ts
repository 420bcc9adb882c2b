import { Router, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import {
  ChangePasswordSchema,
  CodeLoginRequestSchema,
  CreateUserSchema,
  IdSchema,
  LoginRequestSchema,
  UserDisableSchema,
  UserListQuerySchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireAdmin, requireAuth, sessionCookieName } from '../http/auth.js';
import { HttpError, unauthorized } from '../http/errors.js';
import { body, params, query } from '../http/validate.js';
import { AccountsService, type SessionTicket } from './accounts.service.js';

const UserParams = z.strictObject({ userId: IdSchema });

const textOrEmpty = (v: unknown) => (typeof v === 'string' ? v : '');

export function accountsRoutes(ctx: AppContext): Router {
  const router = Router();
  const accounts = new AccountsService(ctx);
  const cookieName = sessionCookieName(ctx.config.secureCookies);

  const setCookie = (res: Response, t: SessionTicket) =>
    res.cookie(cookieName, t.token, {
      httpOnly: true,
      secure: ctx.config.secureCookies,
      sameSite: 'lax',
      path: '/',
      expires: t.expiresAt,
    });

  // Keyed by address and the name tried, so one tablet mistyping does not lock out a whole school network.
  const loginLimit = rateLimit({
    windowMs: 15 * 60_000,
    limit: ctx.config.loginRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Runs before validation: a name that is not a string (an object with its own toString) must not throw.
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${textOrEmpty(req.body?.username ?? req.body?.code).slice(0, 64).toLowerCase()}`,
    handler: (_req, res, _next, options) =>
      res.status(options.statusCode).json({ error: { code: 'rate_limited', message: 'Too many sign-in attempts; try again later' } }),
  });

  // Guessing the current password from a stolen session is throttled per account, wherever it comes from.
  const passwordLimit = rateLimit({
    windowMs: 15 * 60_000,
    limit: ctx.config.loginRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `user|${req.user!.id}`,
    handler: (_req, res, _next, options) =>
      res
        .status(options.statusCode)
        .json({ error: { code: 'rate_limited', message: 'Too many attempts; try again later' } }),
  });

  router.post('/auth/login', loginLimit, async (req, res) => {
    const input = body(req, LoginRequestSchema);
    const userId = await accounts.checkPassword(input.username, input.password);
    if (!userId) {
      await ctx.audit.append({ actor: null, action: 'auth.login_failed', target: { type: 'user', id: null }, after: { username: input.username }, ip: req.ip ?? null });
      throw new HttpError(401, 'bad_credentials', 'Wrong username or password');
    }
    if (req.user) await accounts.closeSession(req.user.sessionId);
    setCookie(res, await accounts.openSession(userId));
    await ctx.audit.append({ actor: { userId, username: input.username }, action: 'auth.login', target: { type: 'user', id: userId }, ip: req.ip ?? null });
    res.json(await accounts.me(userId));
  });

  router.post('/auth/code-login', loginLimit, async (req, res) => {
    const { code } = body(req, CodeLoginRequestSchema);
    const redeemed = await accounts.redeemSignInCode(code);
    if (!redeemed) {
      await ctx.audit.append({ actor: null, action: 'auth.code_login_failed', target: { type: 'user', id: null }, ip: req.ip ?? null });
      throw new HttpError(401, 'bad_code', 'This sign-in code is wrong, used or expired');
    }
    if (req.user) await accounts.closeSession(req.user.sessionId);
    setCookie(res, await accounts.openSession(redeemed.userId));
    await ctx.audit.append({ actor: { userId: redeemed.userId, username: null }, action: 'auth.code_login', contestId: redeemed.contestId, target: { type: 'user', id: redeemed.userId }, ip: req.ip ?? null });
    res.json(await accounts.me(redeemed.userId));
  });

  router.post('/auth/logout', requireAuth, async (req, res) => {
    await accounts.closeSession(req.user!.sessionId);
    await ctx.audit.append({ actor: actorOf(req), action: 'auth.logout', target: { type: 'user', id: req.user!.id }, ip: req.ip ?? null });
    res.clearCookie(cookieName, { path: '/', secure: ctx.config.secureCookies, httpOnly: true, sameSite: 'lax' });
    res.status(204).end();
  });

  router.post('/auth/password', requireAuth, passwordLimit, async (req, res) => {
    const input = body(req, ChangePasswordSchema);
    await accounts.changePassword(req.user!.id, req.user!.sessionId, input);
    // Who and when only: neither password nor hash goes into the audit trail.
    await ctx.audit.append({
      actor: actorOf(req),
      action: 'user.changePassword',
      target: { type: 'user', id: req.user!.id },
      ip: req.ip ?? null,
    });
    res.status(204).end();
  });

  router.get('/auth/me', async (req, res) => {
    if (!req.user) throw unauthorized();
    res.json(await accounts.me(req.user.id));
  });

  router.post('/admin/users', requireAdmin, async (req, res) => {
    const input = body(req, CreateUserSchema);
    const user = await accounts.createUser(input);
    const view = { id: String(user._id), username: user.username, displayName: user.displayName, isAdmin: user.isAdmin };
    await ctx.audit.append({ actor: actorOf(req), action: 'user.create', target: { type: 'user', id: view.id }, after: view });
    res.status(201).json(view);
  });

  router.get('/admin/users', requireAdmin, async (req, res) => {
    const { q } = query(req, UserListQuerySchema);
    res.json(await accounts.listUsers(q));
  });

  router.patch('/admin/users/:userId', requireAdmin, async (req, res) => {
    const { userId } = params(req, UserParams);
    const { disabled } = body(req, UserDisableSchema);
    const { before, after } = await accounts.setDisabled(req.user!.id, userId, disabled);
    if (before.disabled !== after.disabled)
      await ctx.audit.append({
        actor: actorOf(req),
        action: disabled ? 'user.disable' : 'user.enable',
        target: { type: 'user', id: userId },
        before: { disabled: before.disabled },
        after: { disabled: after.disabled },
      });
    res.json(after);
  });

  return router;
}
