import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** A judge in one contest: a user account plus what assignment needs to know. */
const judgeSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    school: { type: String, default: null },
    panelId: { type: Schema.Types.ObjectId, default: null },
    conflictSchools: { type: [String], default: [] },
    conflictEntryCodes: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
judgeSchema.index({ contestId: 1, userId: 1 }, { unique: true });
judgeSchema.index({ contestId: 1, panelId: 1 });

const panelSchema = new Schema(
  {
    contestId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    category: { type: String, default: null },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
panelSchema.index({ contestId: 1, name: 1 }, { unique: true });

export type JudgeDoc = InferSchemaType<typeof judgeSchema> & { _id: Types.ObjectId };
export type PanelDoc = InferSchemaType<typeof panelSchema> & { _id: Types.ObjectId };

export const judgeModels = (conn: Connection) => ({
  Judge: conn.model('Judge', judgeSchema),
  Panel: conn.model('Panel', panelSchema),
});
