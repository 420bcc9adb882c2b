import { Route, Routes, useParams } from 'react-router';
import { NotFoundPage } from '../pages/NotFoundPage';
import { useSession } from '../session';
import { RecordEntryPage } from './RecordEntryPage';
import { RecordListPage } from './RecordListPage';
import { RecordingProvider } from './useRecording';
import './record.css';

/** The recorder's phone screens under /record/:contestId: the entries to measure and one entry's values. */
export function RecordArea() {
  const { me } = useSession();
  const contestId = useParams().contestId ?? '';
  if (!me) return null; // RequireAuth above has signed the visitor in
  return (
    <RecordingProvider key={`${me.id}:${contestId}`} contestId={contestId}>
      <div className="record">
        <Routes>
          <Route index element={<RecordListPage />} />
          <Route path="entries/:entryId" element={<RecordEntryPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </div>
    </RecordingProvider>
  );
}
