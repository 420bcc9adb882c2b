import mongoose from 'mongoose';
import type { Panel, PanelInput, PanelUpdate } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import { updateVersioned } from '../db/versioned.js';
import { HttpError, conflict, notFound } from '../http/errors.js';
import type { JudgeDoc, PanelDoc } from './judges.model.js';
import { JudgesService, throwIssues } from './judges.service.js';

/** Panels group judges (usually by category); entries are later assigned panel by panel. */
export class PanelsService {
  private readonly judges: JudgesService;

  constructor(private readonly ctx: AppContext) {
    this.judges = new JudgesService(ctx);
  }

  static view(p: PanelDoc, judgeCount: number): Panel {
    return {
      id: String(p._id),
      contestId: String(p.contestId),
      name: p.name,
      category: p.category ?? null,
      judgeCount,
      version: p.version ?? 0,
    };
  }

  private async judgeCount(panelId: PanelDoc['_id']): Promise<number> {
    return this.ctx.models.Judge.countDocuments({ panelId, active: true });
  }

  private async panelDoc(contestId: string, panelId: string): Promise<PanelDoc> {
    const panel = await this.ctx.models.Panel.findOne({ _id: panelId, contestId }).lean<PanelDoc>();
    if (!panel) throw notFound('Panel');
    return panel;
  }

  async list(contestId: string): Promise<Panel[]> {
    const { Panel, Judge } = this.ctx.models;
    const [panels, judges] = await Promise.all([
      Panel.find({ contestId }).sort({ name: 1 }).lean<PanelDoc[]>(),
      Judge.find({ contestId, active: true }, { panelId: 1 }).lean(),
    ]);
    const counts = new Map<string, number>();
    for (const j of judges) if (j.panelId) counts.set(String(j.panelId), (counts.get(String(j.panelId)) ?? 0) + 1);
    return panels.map((p) => PanelsService.view(p, counts.get(String(p._id)) ?? 0));
  }

  /** A category must be one the contest defines, so assignment by category cannot silently miss. */
  private async checkCategory(contestId: string, category: string | null | undefined) {
    if (!category) return;
    const contest = await this.judges.contest(contestId);
    if (!(contest.categories ?? []).some((c) => c.id === category))
      throwIssues([{ field: 'category', message: `no category "${category}" in this contest` }]);
  }

  private async checkNameFree(contestId: string, name: string, exceptId?: string) {
    const other = await this.ctx.models.Panel.findOne({ contestId, name }, { _id: 1 }).lean();
    if (other && String(other._id) !== exceptId) throw conflict(`body.name: a panel named "${name}" already exists`, { field: 'body.name' });
  }

  async create(contestId: string, input: PanelInput, actor: AuditActor): Promise<Panel> {
    await this.judges.contest(contestId);
    await this.checkCategory(contestId, input.category);
    await this.checkNameFree(contestId, input.name);
    const doc = (await this.ctx.models.Panel.create({ contestId, name: input.name, category: input.category ?? null })).toObject() as PanelDoc;
    const view = PanelsService.view(doc, 0);
    await this.ctx.audit.append({ actor, action: 'panel.create', contestId, target: { type: 'panel', id: view.id }, before: null, after: view });
    return view;
  }

  async update(contestId: string, panelId: string, input: PanelUpdate, actor: AuditActor): Promise<Panel> {
    const before = await this.panelDoc(contestId, panelId);
    await this.checkCategory(contestId, input.category);
    if (input.name !== undefined) await this.checkNameFree(contestId, input.name, panelId);
    const set: Record<string, unknown> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.category !== undefined) set.category = input.category;
    const count = await this.judgeCount(before._id);
    const after = (await updateVersioned(this.ctx.models.Panel as never, { _id: panelId, contestId }, input.version, set, 'Panel', (d) =>
      PanelsService.view(d as PanelDoc, count),
    )) as PanelDoc;
    const [beforeView, afterView] = [PanelsService.view(before, count), PanelsService.view(after, count)];
    await this.ctx.audit.append({ actor, action: 'panel.update', contestId, target: { type: 'panel', id: panelId }, before: beforeView, after: afterView });
    return afterView;
  }

  /** Refused while active judges are in it; deactivated judges simply leave the panel. */
  async remove(contestId: string, panelId: string, actor: AuditActor): Promise<void> {
    const { Judge, Panel } = this.ctx.models;
    const before = await this.panelDoc(contestId, panelId);
    const active = await Judge.find({ contestId, panelId, active: true }, { name: 1 }).lean();
    if (active.length)
      throw new HttpError(409, 'panel_not_empty', `${active.length} judge(s) are still in this panel; move them first`, {
        judges: active.map((j) => ({ id: String(j._id), name: j.name })),
      });
    const detached = await Judge.find({ contestId, panelId }, { _id: 1 }).lean();
    if (detached.length) await Judge.updateMany({ contestId, panelId }, { $set: { panelId: null }, $inc: { version: 1 } });
    await Panel.deleteOne({ _id: panelId, contestId });
    await this.ctx.audit.append({
      actor,
      action: 'panel.delete',
      contestId,
      target: { type: 'panel', id: panelId },
      before: PanelsService.view(before, 0),
      after: detached.length ? { detachedInactiveJudgeIds: detached.map((j) => String(j._id)) } : null,
    });
  }

  /** Moves judges into this panel (out of whichever they were in). */
  async assign(contestId: string, panelId: string, judgeIds: string[], actor: AuditActor): Promise<Panel & { judgeIds: string[] }> {
    const { Judge } = this.ctx.models;
    const panel = await this.panelDoc(contestId, panelId);
    const found = await Judge.find({ contestId, _id: mongoose.trusted({ $in: judgeIds }) }).lean<JudgeDoc[]>();
    const byId = new Map(found.map((j) => [String(j._id), j]));
    const issues: { field: string; message: string }[] = [];
    judgeIds.forEach((id, i) => {
      const j = byId.get(id);
      if (!j) issues.push({ field: `judgeIds.${i}`, message: 'not a judge of this contest' });
      else if (!j.active) issues.push({ field: `judgeIds.${i}`, message: `${j.name} is deactivated` });
    });
    throwIssues(issues);
    const moving = found.filter((j) => String(j.panelId ?? '') !== panelId);
    if (moving.length)
      await Judge.updateMany({ _id: mongoose.trusted({ $in: moving.map((j) => j._id) }), contestId }, { $set: { panelId }, $inc: { version: 1 } });
    const inPanel = await Judge.find({ contestId, panelId, active: true }, { _id: 1 }).sort({ name: 1 }).lean();
    const view = { ...PanelsService.view(panel, inPanel.length), judgeIds: inPanel.map((j) => String(j._id)) };
    await this.ctx.audit.append({
      actor,
      action: 'panel.assign',
      contestId,
      target: { type: 'panel', id: panelId },
      before: { judges: moving.map((j) => ({ judgeId: String(j._id), panelId: j.panelId ? String(j.panelId) : null })) },
      after: { judges: moving.map((j) => ({ judgeId: String(j._id), panelId })) },
    });
    return view;
  }
}
