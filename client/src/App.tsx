import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { Shell } from './components/Shell';
import { ErrorNotice, Loading } from './components/Status';
import { CodeSignInPage } from './pages/CodeSignInPage';
import { ContestOverviewPage } from './pages/ContestOverviewPage';
import { ContestsPage } from './pages/ContestsPage';
import { FeedbackPage } from './pages/FeedbackPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { homeFor } from './routing';
import { SessionProvider, useSession } from './session';

// Each area is its own chunk: a judge's tablet never downloads the organizer console.
const JudgeArea = lazy(() => import('./judge/JudgeArea').then((m) => ({ default: m.JudgeArea })));
const OrganizeArea = lazy(() => import('./organize/OrganizeArea').then((m) => ({ default: m.OrganizeArea })));
const PublicArea = lazy(() => import('./public/PublicArea').then((m) => ({ default: m.PublicArea })));
const RecordArea = lazy(() => import('./record/RecordArea').then((m) => ({ default: m.RecordArea })));
const AccountPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.AccountPage })));
const UsersPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.UsersPage })));
const NewContestPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.NewContestPage })));
const ScoreboardPage = lazy(() =>
  import('./public/ScoreboardPage').then((m) => ({ default: m.ScoreboardPage })),
);
const area = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

/** Pages behind sign-in send the visitor to /login and back afterwards. */
function RequireAuth() {
  const { state, refresh } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={() => void refresh()} />;
  if (state.status === 'signed-out') {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

function Home() {
  const { state, refresh } = useSession();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={() => void refresh()} />;
  return <Navigate to={state.status === 'signed-in' ? homeFor(state.me) : '/login'} replace />;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          {/* The venue screen fills a projector: no header, its own dark page. */}
          <Route path="scoreboard/:contestId" element={area(<ScoreboardPage />)} />
          <Route element={<Shell />}>
            <Route index element={<Home />} />
            <Route path="login" element={<LoginPage />} />
            <Route path="judge/sign-in" element={<CodeSignInPage />} />
            <Route path="feedback/:token" element={<FeedbackPage />} />
            <Route path="winners/*" element={area(<PublicArea />)} />
            <Route element={<RequireAuth />}>
              <Route path="contests" element={<ContestsPage />} />
              <Route path="contests/new" element={area(<NewContestPage />)} />
              <Route path="account" element={area(<AccountPage />)} />
              <Route path="admin/users" element={area(<UsersPage />)} />
              <Route path="contests/:contestId" element={<ContestOverviewPage />} />
              <Route path="contests/:contestId/*" element={area(<OrganizeArea />)} />
              <Route path="judge/:contestId/*" element={area(<JudgeArea />)} />
              <Route path="record/:contestId/*" element={area(<RecordArea />)} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
