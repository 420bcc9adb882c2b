import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/**
 * The results as published: made once, at `review -> published`, with the settings, rubric and engine
 * version that produced them, and never written again (no route updates them).
 */
const snapshotSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    roundId: { type: String, required: true },
    engineVersion: { type: String, required: true },
    settings: { type: Schema.Types.Mixed, required: true },
    criteria: { type: Schema.Types.Mixed, required: true },
    /** Tiers with names and counts, judge statistics, panel reliability, cohort distributions. */
    summary: { type: Schema.Types.Mixed, required: true },
    entryCount: { type: Number, required: true },
    createdBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, minimize: false },
);
snapshotSchema.index({ contestId: 1, roundId: 1 }, { unique: true });

/** One published entry: what the winners page, the showcase and the teacher's feedback read. */
const resultRowSchema = new Schema(
  {
    snapshotId: { type: Schema.Types.ObjectId, required: true },
    contestId: { type: Schema.Types.ObjectId, required: true },
    entryId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
    title: { type: String, required: true },
    teacherName: { type: String, required: true },
    school: { type: String, required: true },
    category: { type: String, default: null },
    subject: { type: String, default: null },
    photos: { type: [{ _id: false, id: String, width: Number, height: Number }], default: [] },
    judgeCount: { type: Number, required: true },
    score: { type: Number, default: null },
    rank: { type: Number, default: null },
    tierId: { type: String, default: null },
    tierConfidence: { type: Number, default: null },
    criteria: { type: Schema.Types.Mixed, required: true },
    flags: { type: [String], default: [] },
    /** Judges' comments without their names, in a fixed order that does not follow the judges. */
    comments: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);
resultRowSchema.index({ snapshotId: 1, entryId: 1 }, { unique: true });
resultRowSchema.index({ snapshotId: 1, tierId: 1, code: 1 });
resultRowSchema.index({ snapshotId: 1, rank: 1 });

export type ResultSnapshotDoc = InferSchemaType<typeof snapshotSchema> & { _id: Types.ObjectId; createdAt: Date };
export type ResultRowDoc = InferSchemaType<typeof resultRowSchema> & { _id: Types.ObjectId };

export const resultModels = (conn: Connection) => ({
  ResultSnapshot: conn.model('ResultSnapshot', snapshotSchema),
  ResultRow: conn.model('ResultRow', resultRowSchema),
});
