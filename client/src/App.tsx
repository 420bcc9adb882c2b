import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { Shell } from './components/Shell';
import { ErrorNotice, Loading } from './components/Status';
import { CodeSignInPage } from './pages/CodeSignInPage';
import { ContestOverviewPage } from './pages/ContestOverviewPage';
import { ContestsPage } from './pages/ContestsPage';
import { FeedbackPage } from './pages/FeedbackPage';
import { JudgePage } from './pages/JudgePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { homeFor } from './routing';
import { SessionProvider, useSession } from './session';

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
          <Route element={<Shell />}>
            <Route index element={<Home />} />
            <Route path="login" element={<LoginPage />} />
            <Route path="judge/sign-in" element={<CodeSignInPage />} />
            <Route path="feedback/:token" element={<FeedbackPage />} />
            <Route element={<RequireAuth />}>
              <Route path="contests" element={<ContestsPage />} />
              <Route path="contests/:contestId" element={<ContestOverviewPage />} />
              <Route path="judge/:contestId" element={<JudgePage />} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
