import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';

/** Public pages after publication under /winners/…: winners lists and the showcase slideshow. */
export function PublicArea() {
  return (
    <Routes>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
