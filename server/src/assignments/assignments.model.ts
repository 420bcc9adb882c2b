import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { ASSIGNMENT_SCOPES } from '@pingxuan/shared';

/**
 * How a round's assignment was made (scope, judges per entry, seed), so the same plan can be explained and
 * made again, and whether its calibration works have been released to let the rest open.
 */
const assignmentRunSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    roundId: { type: String, required: true },
    scope: { type: String, enum: ASSIGNMENT_SCOPES, required: true },
    judgesPerEntry: { type: Number, required: true },
    seed: { type: Number, required: true },
    calibrationEntryIds: { type: [Schema.Types.ObjectId], default: [] },
    calibrationReleasedAt: { type: Date, default: null },
    /** Extra scores added for uncertain entries so far. */
    extraAssignments: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
assignmentRunSchema.index({ contestId: 1, roundId: 1 }, { unique: true });

export type AssignmentRunDoc = InferSchemaType<typeof assignmentRunSchema> & { _id: Types.ObjectId };

export const assignmentModels = (conn: Connection) => ({
  AssignmentRun: conn.model('AssignmentRun', assignmentRunSchema),
});
