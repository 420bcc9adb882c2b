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
