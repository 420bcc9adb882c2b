import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** Which judge scores which entry in a round, and why (for the organizer's explanation). */
const assignmentSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    roundId: { type: String, required: true },
    entryId: { type: Schema.Types.ObjectId, required: true },
    judgeId: { type: Schema.Types.ObjectId, required: true },
    /** Position in the judge's list, so every tablet shows the same order. */
    order: { type: Number, required: true },
    /** The planner's reason kind (panel, pool, calibration, kept, extra) or a seed's note. */
    reason: { type: String, default: '' },
    panelId: { type: Schema.Types.ObjectId, default: null },
    /** Scored by every judge of the panel before the rest of the round opens. */
    calibration: { type: Boolean, default: false },
    /** The planner's numbers behind the choice (shared AssignmentReason), put into words when listed. */
    explanation: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, versionKey: false },
);
assignmentSchema.index({ contestId: 1, roundId: 1, entryId: 1, judgeId: 1 }, { unique: true });
assignmentSchema.index({ contestId: 1, roundId: 1, judgeId: 1, order: 1 });

export const SCORE_STATUSES = ['draft', 'submitted'] as const;

/** How many applied Idempotency-Keys a score remembers; an older key replayed is treated as a new request. */
export const APPLIED_KEYS_KEPT = 50;

/**
 * An Idempotency-Key applied to this score, written by the same single-document update that applied the
 * change (atomic without transactions), with the answer given, so a retry gets exactly that answer again.
 */
const appliedKeySchema = new Schema(
  {
    key: { type: String, required: true },
    /** sha256 of what was asked (operation, entry, body): the same key with another request is refused. */
    requestHash: { type: String, required: true },
    response: {
      status: { type: Number, required: true },
      body: { type: Schema.Types.Mixed, required: true },
    },
    at: { type: Date, required: true },
    /**
     * False from the write until the change's audit event is appended: a crash in between leaves it false, and
     * repairScoreAudit() appends the event at the next start-up. Keys stored before this field count as audited.
     */
    audited: { type: Boolean, default: true },
    /** What the audit event needs to be written without the request: its action and who made the change. */
    action: { type: String, default: null },
    actor: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false, minimize: false },
);

/** One score per judge per entry per round: the unique index is what keeps it so under retries and races. */
const scoreSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    roundId: { type: String, required: true },
    entryId: { type: Schema.Types.ObjectId, required: true },
    judgeId: { type: Schema.Types.ObjectId, required: true },
    /** criterion id -> points, validated against the frozen rubric. */
    values: { type: Schema.Types.Mixed, default: {} },
    comment: { type: String, default: '' },
    status: { type: String, enum: SCORE_STATUSES, default: 'draft' },
    submittedAt: { type: Date, default: null },
    version: { type: Number, default: 0 },
    /** Never sent to clients; read only with select('+appliedKeys'). */
    appliedKeys: { type: [appliedKeySchema], default: [], select: false },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
scoreSchema.index({ contestId: 1, roundId: 1, entryId: 1, judgeId: 1 }, { unique: true });
scoreSchema.index({ contestId: 1, roundId: 1, judgeId: 1 });
scoreSchema.index({ contestId: 1, roundId: 1, status: 1 });
// Finds the score a key was applied to, whichever entry the retry names.
scoreSchema.index({ contestId: 1, judgeId: 1, 'appliedKeys.key': 1 });
// Only scores with a change still waiting for its audit event: what the start-up repair looks for.
scoreSchema.index(
  { 'appliedKeys.audited': 1 },
  { partialFilterExpression: { 'appliedKeys.audited': false } },
);

export type AssignmentDoc = InferSchemaType<typeof assignmentSchema> & { _id: Types.ObjectId };
export type ScoreDoc = InferSchemaType<typeof scoreSchema> & { _id: Types.ObjectId };

export const scoreModels = (conn: Connection) => ({
  Assignment: conn.model('Assignment', assignmentSchema),
  Score: conn.model('Score', scoreSchema),
});
