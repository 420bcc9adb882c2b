import type { AdvancementReason } from './schemas.js';

export type AdvancementLanguage = 'zh' | 'en';

/**
 * One line telling the organizer (or a teacher) why an entry does not advance, e.g. 「未进入本校（实验小学）
 * 前 3 名」. `groupNames` maps category ids (or schools) to display names; unknown ids are shown as they are.
 */
export function describeAdvancementReason(
  reason: AdvancementReason,
  lang: AdvancementLanguage,
  groupNames?: Readonly<Record<string, string>>,
): string {
  const zh = lang === 'zh';
  const group = reason.group == null ? '' : (groupNames?.[reason.group] ?? reason.group);
  const within = (() => {
    switch (reason.scope) {
      case 'school':
        return zh ? `本校（${group}）` : `of its school (${group})`;
      case 'category':
        return zh ? `本类别（${group}）` : `of its category (${group})`;
      default:
        return zh ? '总排名' : 'overall';
    }
  })();
  switch (reason.reason) {
    case 'incomplete':
      return zh ? '评审未完成，不参与晋级' : 'Not fully judged, so it cannot advance';
    case 'belowMinScore':
      return zh ? `得分低于晋级最低分 ${reason.minScore}` : `Score below the minimum of ${reason.minScore}`;
    case 'outsideTop':
      return zh ? `未进入${within}前 ${reason.limit} 名` : `Not among the top ${reason.limit} ${within}`;
    case 'tieExcluded':
      return zh
        ? `在${within}前 ${reason.limit} 名的晋级线上并列，按“并列均不晋级”的规则未晋级`
        : `Tied at the cut for the top ${reason.limit} ${within}; tied entries at the cut do not advance`;
  }
}
