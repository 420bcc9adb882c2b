import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { ENTRY_STATUSES } from '@pingxuan/shared';

const photoSchema = new Schema(
  {
    /** GridFS file ids: the original as uploaded, a screen-sized copy for tablets, a thumbnail for lists. */
    fileId: { type: Schema.Types.ObjectId, required: true },
    largeId: { type: Schema.Types.ObjectId, required: true },
    thumbId: { type: Schema.Types.ObjectId, required: true },
    fileName: { type: String, required: true },
    contentType: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    size: { type: Number, required: true },
  },
  { _id: true },
);

const entrySchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    /** Rounds this entry takes part in (the first round, plus later rounds it advances to). */
    roundIds: { type: [String], default: [] },
    code: { type: String, required: true },
    title: { type: String, required: true },
    teacherName: { type: String, required: true },
    school: { type: String, required: true },
    category: { type: String, default: null },
    subject: { type: String, default: null },
    imageFileNames: { type: [String], default: [] },
    photos: { type: [photoSchema], default: [] },
    status: { type: String, enum: ENTRY_STATUSES, default: 'active' },
    withdrawnReason: { type: String, default: null },
    /** Set on rows written by one import, so a failed import can be taken back whole. */
    importId: { type: String, default: null },
    /** sha256 of the private feedback link's secret; the secret itself is shown once. */
    feedbackTokenHash: { type: String, default: null },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
entrySchema.index({ contestId: 1, code: 1 }, { unique: true });
entrySchema.index({ contestId: 1, roundIds: 1, status: 1, category: 1 });
entrySchema.index({ contestId: 1, school: 1 });
entrySchema.index({ contestId: 1, imageFileNames: 1 });
entrySchema.index({ 'photos._id': 1 });
entrySchema.index({ feedbackTokenHash: 1 }, { unique: true, partialFilterExpression: { feedbackTokenHash: { $type: 'string' } } });

export type EntryDoc = InferSchemaType<typeof entrySchema> & { _id: Types.ObjectId };

export const entryModels = (conn: Connection) => ({ Entry: conn.model('Entry', entrySchema) });
