import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { PublishedContestsPage } from './PublishedContestsPage';
import { ShowcasePage } from './ShowcasePage';
import { WinnersPage } from './WinnersPage';
import './public.css';

/** Public pages after publication under /winners/…: winners lists and the showcase slideshow. */
export function PublicArea() {
  return (
    <Routes>
      <Route index element={<PublishedContestsPage />} />
      <Route path=":contestId" element={<WinnersPage />} />
      <Route path=":contestId/showcase" element={<ShowcasePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
