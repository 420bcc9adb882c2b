import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { MEASUREMENT_STATUSES } from '@pingxuan/shared';

/** Requests applied to a measurement, kept so a retried write (same Idempotency-Key) gets the same answer. */
export const MEASUREMENT_KEYS_KEPT = 20;

const readingSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    username: { type: String, required: true },
    value: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const appliedKeySchema = new Schema(
  {
    key: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    requestHash: { type: String, required: true },
    response: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { _id: false, minimize: false },
);

/** One measured value of one entry for one measurement criterion in one round, with every recorder's reading. */
const measurementSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    roundId: { type: String, required: true },
    entryId: { type: Schema.Types.ObjectId, required: true },
    criterionId: { type: String, required: true },
    /** At most one per recorder (a recorder's new reading replaces their own); at most two in double entry. */
    readings: { type: [readingSchema], default: [] },
    /** What the results count; null until it counts (a pending or disputed double entry). */
    value: { type: Number, default: null },
    status: { type: String, enum: MEASUREMENT_STATUSES, required: true },
    resolution: {
      type: new Schema(
        {
          userId: { type: Schema.Types.ObjectId, default: null },
          username: { type: String, default: null },
          value: { type: Number, required: true },
          reason: { type: String, required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    version: { type: Number, default: 0 },
    appliedKeys: { type: [appliedKeySchema], default: [], select: false },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
measurementSchema.index({ contestId: 1, roundId: 1, entryId: 1, criterionId: 1 }, { unique: true });
measurementSchema.index({ contestId: 1, roundId: 1, status: 1 });
measurementSchema.index({ contestId: 1, 'appliedKeys.key': 1 });

export type MeasurementDoc = InferSchemaType<typeof measurementSchema> & { _id: Types.ObjectId };

export const measurementModels = (conn: Connection) => ({
  Measurement: conn.model('Measurement', measurementSchema),
});
