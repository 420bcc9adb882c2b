import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { CONTEST_STATUSES } from '@pingxuan/shared';

const localized = { zh: { type: String, required: true }, en: { type: String } };
const named = new Schema({ id: { type: String, required: true }, name: localized }, { _id: false });

const contestSchema = new Schema(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    categories: { type: [named], default: [] },
    subjects: { type: [named], default: [] },
    rounds: { type: [named], default: [] },
    /** The round being judged now; null means the first round (multi-round advancement sets it). */
    currentRoundId: { type: String, default: null },
    /** Set together with status `published`: the immutable results everyone reads from then on. */
    publishedSnapshotId: { type: Schema.Types.ObjectId, default: null },
    publishedAt: { type: Date, default: null },
    status: { type: String, enum: CONTEST_STATUSES, default: 'draft' },
    /** ContestSettings from shared, validated by zod before it gets here. */
    settings: { type: Schema.Types.Mixed, required: true },
    /** Optimistic concurrency: every write must name the version it read. */
    version: { type: Number, default: 0 },
    createdBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true, minimize: false, versionKey: false },
);
contestSchema.index({ status: 1, createdAt: -1 });

const criterionSchema = new Schema(
  {
    id: { type: String, required: true },
    name: localized,
    description: { zh: { type: String, default: '' }, en: { type: String } },
    weight: { type: Number, required: true },
    maxScore: { type: Number, required: true },
    step: { type: Number, required: true },
    /** Absent means judgement; a measurement criterion carries its conversion rule (validated by zod). */
    kind: { type: String, enum: ['judgement', 'measurement'] },
    rule: { type: Schema.Types.Mixed },
  },
  { _id: false },
);

/** One rubric per round; frozen once judging starts. */
const rubricSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    roundId: { type: String, required: true },
    criteria: { type: [criterionSchema], default: [] },
    frozen: { type: Boolean, default: false },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
rubricSchema.index({ contestId: 1, roundId: 1 }, { unique: true });

export type ContestDoc = InferSchemaType<typeof contestSchema> & { _id: Types.ObjectId };
export type RubricDoc = InferSchemaType<typeof rubricSchema> & { _id: Types.ObjectId };

export const contestModels = (conn: Connection) => ({
  Contest: conn.model('Contest', contestSchema),
  Rubric: conn.model('Rubric', rubricSchema),
});
