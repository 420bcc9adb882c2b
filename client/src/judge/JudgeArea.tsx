import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { JudgePage } from './JudgePage';

/** The judge's tablet screens under /judge/:contestId. */
export function JudgeArea() {
  return (
    <Routes>
      <Route index element={<JudgePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
