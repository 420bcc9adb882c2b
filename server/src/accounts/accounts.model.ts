import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { ROLES } from '@pingxuan/shared';

const userSchema = new Schema(
  {
    username: { type: String, required: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, default: null },
    isAdmin: { type: Boolean, default: false },
    disabled: { type: Boolean, default: false },
  },
  { timestamps: true },
);
userSchema.index({ username: 1 }, { unique: true });

const sessionSchema = new Schema({
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  createdAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ userId: 1 });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** A user's role in one contest. Admins need none. */
const membershipSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: ROLES, required: true },
    /** Set for school organizers only: the school whose entries they may see. */
    school: { type: String, default: null },
  },
  { timestamps: true },
);
membershipSchema.index({ contestId: 1, userId: 1, role: 1 }, { unique: true });
membershipSchema.index({ userId: 1 });

/** One-time sign-in codes printed for judges; only the hash is kept. */
const signInCodeSchema = new Schema({
  codeHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  contestId: { type: Schema.Types.ObjectId, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
});
signInCodeSchema.index({ codeHash: 1 }, { unique: true });
signInCodeSchema.index({ userId: 1, contestId: 1 });

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export type SessionDoc = InferSchemaType<typeof sessionSchema> & { _id: Types.ObjectId };
export type MembershipDoc = InferSchemaType<typeof membershipSchema> & { _id: Types.ObjectId };

export const accountModels = (conn: Connection) => ({
  User: conn.model('User', userSchema),
  Session: conn.model('Session', sessionSchema),
  Membership: conn.model('Membership', membershipSchema),
  SignInCode: conn.model('SignInCode', signInCodeSchema),
});
