import type { AssignmentReason } from './schemas.js';

export type ReasonLanguage = 'zh' | 'en';

/**
 * One line explaining an assignment, e.g. 「第二评审组：该作品可选评委 12 人（3 人因回避排除），分配时该评委已有
 * 31 件，为最少者之一」. `panelNames` maps panel ids to display names; unknown ids are shown as ids.
 */
export function describeReason(
  reason: AssignmentReason,
  lang: ReasonLanguage,
  panelNames?: Readonly<Record<string, string>>,
): string {
  const zh = lang === 'zh';
  const panel =
    reason.panelId !== undefined
      ? (panelNames?.[reason.panelId] ?? (zh ? `评审组 ${reason.panelId}` : `Panel ${reason.panelId}`))
      : null;
  const scope = panel ?? (zh ? '评委池' : 'Judge pool');
  const pool = zh
    ? `该作品可选评委 ${reason.candidates} 人（${reason.excludedByConflict} 人因回避排除）`
    : `${reason.candidates} eligible judge${reason.candidates === 1 ? '' : 's'} for this entry (${reason.excludedByConflict} excluded by conflicts of interest)`;
  const least = reason.loadBefore <= reason.minLoad;
  const load = zh
    ? `分配时该评委已有 ${reason.loadBefore} 件，${least ? '为最少者之一' : `可选评委中最少者有 ${reason.minLoad} 件`}`
    : `this judge had ${reason.loadBefore} entr${reason.loadBefore === 1 ? 'y' : 'ies'}, ${least ? 'among the fewest' : `the fewest among eligible judges was ${reason.minLoad}`}`;
  const replaces =
    reason.replacesJudgeId !== undefined
      ? zh
        ? `接替退出的评委（${reason.replacesJudgeId}）未完成的评审；`
        : `replaces unscored work of a judge who dropped out (${reason.replacesJudgeId}); `
      : '';

  switch (reason.kind) {
    case 'kept':
      return zh
        ? `${scope}：保留原有分配（已评分或已锁定）`
        : `${scope}: existing assignment kept (already scored or locked)`;
    case 'calibration':
      return zh
        ? `${scope}：校准作品，由全部可选评委评分；${pool}`
        : `${scope}: calibration entry, scored by every eligible judge; ${pool}`;
    case 'extra':
      return zh ? `${scope}：追加评审；${pool}，${load}` : `${scope}: extra judge; ${pool}; ${load}`;
    case 'panel':
    case 'pool':
      return zh ? `${scope}：${replaces}${pool}，${load}` : `${scope}: ${replaces}${pool}; ${load}`;
  }
}
