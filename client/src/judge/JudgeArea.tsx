import { useEffect } from 'react';
import { Route, Routes, useParams } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { useSession } from '../session';
import { JudgePage } from './JudgePage';
import { registerServiceWorker } from './pwa';
import { ScorePage } from './ScorePage';
import { JudgingProvider } from './useJudging';
import './judge.css';

/** The judge's tablet screens under /judge/:contestId: the work list and one work's scoring screen. */
export function JudgeArea() {
  const { me } = useSession();
  const contestId = useParams().contestId ?? '';
  useEffect(() => registerServiceWorker(), []);
  if (!me) return null; // RequireAuth above has signed the visitor in
  return (
    <JudgingProvider key={`${me.id}:${contestId}`} userId={me.id} contestId={contestId}>
      <Routes>
        <Route index element={<JudgePage />} />
        <Route path="entries/:entryId" element={<ScorePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </JudgingProvider>
  );
}
