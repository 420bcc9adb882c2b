import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';

/** The organizer's console under /contests/:contestId/… (the overview itself is /contests/:contestId). */
export function OrganizeArea() {
  return (
    <Routes>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
