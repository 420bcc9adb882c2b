import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/**
 * The confirmed advancement from one round to the next: the rules and exactly who went on. Written first, so a
 * confirmation cut short by a crash is finished by confirming again (the same computation) rather than redone.
 */
const advancementSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    fromRound: { type: String, required: true },
    toRound: { type: String, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
    advancingIds: { type: [Schema.Types.ObjectId], default: [] },
    counts: { type: Schema.Types.Mixed, required: true },
    /** Set once the entries and the contest have been moved on. */
    completedAt: { type: Date, default: null },
    /** The organizer who confirmed it (also in the audit log). */
    confirmedBy: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, versionKey: false },
);
advancementSchema.index({ contestId: 1, fromRound: 1 }, { unique: true });

export type AdvancementDoc = InferSchemaType<typeof advancementSchema> & { _id: Types.ObjectId };

export const advancementModels = (conn: Connection) => ({
  Advancement: conn.model('Advancement', advancementSchema),
});
