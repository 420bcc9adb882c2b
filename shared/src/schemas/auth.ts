import { z } from 'zod';

/**
 * A recorder enters measured values (skills contests) and sees nothing else of the contest. A school
 * organizer runs a school's preliminary round: its own school's entries and their results, nothing else.
 */
export const ROLES = ['organizer', 'judge', 'teacher', 'recorder', 'schoolOrganizer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const UsernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');
export const PasswordSchema = z.string().min(8, 'at least 8 characters').max(200);

export const LoginRequestSchema = z.strictObject({
  username: UsernameSchema,
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** Judges on tablets sign in with a one-time code printed by the organizer. */
export const CodeLoginRequestSchema = z.strictObject({
  code: z.string().trim().min(8).max(64),
});

export const CreateUserSchema = z.strictObject({
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(100),
  password: PasswordSchema,
  isAdmin: z.boolean().default(false),
});
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const MembershipSchema = z.object({
  contestId: z.string(),
  role: RoleSchema,
});

export const MeSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  memberships: z.array(MembershipSchema),
});
export type Me = z.infer<typeof MeSchema>;

/** A signed-in user replacing their own password; the current one proves it is them at the keyboard. */
export const ChangePasswordSchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(200),
    newPassword: PasswordSchema,
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });
export type ChangePassword = z.infer<typeof ChangePasswordSchema>;

/** One account as administrators list them: never a password hash. */
export const UserSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;

/** Search of accounts by part of the username or display name; an empty `q` lists the first ones. */
export const UserListQuerySchema = z.strictObject({
  q: z.string().trim().max(100).default(''),
});
export const USER_LIST_LIMIT = 100;
export type UserList = { users: UserSummary[]; more: boolean };

export const UserDisableSchema = z.strictObject({ disabled: z.boolean() });
