import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalibrationReport, JudgeList, Panel } from '@pingxuan/shared';
import { seg } from '../api';
import { ErrorNotice } from '../components/Status';
import { usePageTitle } from '../usePageTitle';
import { AssignmentList } from './assign/AssignmentList';
import { CalibrationSection } from './assign/CalibrationSection';
import { ExtraSection } from './assign/ExtraSection';
import { PlanSection } from './assign/PlanSection';
import { ReplaceSection } from './assign/ReplaceSection';
import { useFetched } from './assign/useFetched';
import { useOrganize } from './context';
import { RoundPicker, useRoundParam } from './RoundPicker';
import './assign.css';

/**
 * Who scores what: the plan (previewed, then applied with its seed), calibration works and their release,
 * the explained list, a judge who drops out, and extra judges for uncertain entries.
 */
export function AssignmentsPage() {
  const { t } = useTranslation('assign');
  const { contest } = useOrganize();
  usePageTitle(t('title'));
  const round = useRoundParam();
  // Bumped after every change, so each section reads the assignments again.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const base = `/contests/${seg(contest.id)}`;
  const judges = useFetched<JudgeList>(`${base}/judges`, version);
  const panels = useFetched<{ panels: Panel[] }>(`${base}/panels`);
  const calibration = useFetched<CalibrationReport>(
    `${base}/assignments/calibration${round ? `?round=${seg(round)}` : ''}`,
    version,
  );
  const canChange = contest.status === 'draft' || contest.status === 'judging';
  const panelList = panels.latest?.panels ?? [];
  const judgeList = judges.latest?.judges ?? [];
  const roundKey = round ?? '';

  return (
    <section aria-labelledby="assign-title" className="asg">
      <div className="org-page-head">
        <h1 id="assign-title">{t('title')}</h1>
        <RoundPicker current={calibration.latest?.roundId} />
      </div>
      <nav className="asg-jump" aria-label={t('jump.label')}>
        <ul>
          <li>
            <a href="#plan">{t('jump.plan')}</a>
          </li>
          <li>
            <a href="#calibration">{t('jump.calibration')}</a>
          </li>
          <li>
            <a href="#list">{t('jump.list')}</a>
          </li>
          <li>
            <a href="#replace">{t('jump.replace')}</a>
          </li>
          <li>
            <a href="#extra">{t('jump.extra')}</a>
          </li>
        </ul>
      </nav>
      {panels.error && <ErrorNotice error={panels.error} onRetry={panels.reload} />}
      {judges.error && <ErrorNotice error={judges.error} onRetry={judges.reload} />}
      {/* A round of its own: each section starts afresh when the round changes. */}
      <PlanSection
        key={`plan-${roundKey}`}
        round={round}
        panels={panelList}
        canChange={canChange}
        onApplied={changed}
      />
      <CalibrationSection
        key={`cal-${roundKey}`}
        report={calibration}
        round={round}
        panels={panelList}
        onReleased={changed}
      />
      <AssignmentList key={`list-${roundKey}`} round={round} version={version} judges={judgeList} />
      <ReplaceSection
        key={`replace-${roundKey}`}
        round={round}
        judges={judgeList}
        panels={panelList}
        canChange={canChange}
        onReplaced={changed}
      />
      <ExtraSection key={`extra-${roundKey}`} round={round} panels={panelList} onAdded={changed} />
    </section>
  );
}
