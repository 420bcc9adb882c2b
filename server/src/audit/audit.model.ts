import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** Append-only, hash-chained: hash = sha256(prevHash + canonical(event)). Nobody edits it through the API. */
const auditSchema = new Schema(
  {
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: {
      userId: { type: String, default: null },
      username: { type: String, default: null },
    },
    action: { type: String, required: true },
    contestId: { type: String, default: null },
    target: {
      type: { type: String, required: true },
      id: { type: String, default: null },
    },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    ip: { type: String, default: null },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { minimize: false, versionKey: false },
);
auditSchema.index({ seq: 1 }, { unique: true });
auditSchema.index({ contestId: 1, seq: -1 });

export type AuditDoc = InferSchemaType<typeof auditSchema> & { _id: Types.ObjectId };

export const auditModels = (conn: Connection) => ({ AuditEvent: conn.model('AuditEvent', auditSchema) });
