import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { Loading } from './shell/components.tsx';
import { Layout } from './shell/layout.tsx';
import { LoginPage } from './shell/login-page.tsx';
import { ForbiddenPage, HomePage, NotFoundPage } from './shell/pages.tsx';
import { mayOpen, SCREENS } from './shell/registry.ts';
import { SessionProvider, useSession } from './shell/session.tsx';

function SignedInRoutes() {
  const { user } = useSession();
  if (user === undefined) return <Loading />;
  if (user === null) return <LoginPage />;
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<HomePage />} />
        {SCREENS.map((screen) => {
          const Component = screen.component;
          // Every screen has a route, so a forbidden one says so instead of "not found".
          return <Route key={screen.path} path={screen.path} element={mayOpen(screen, user) ? <Component /> : <ForbiddenPage />} />;
        })}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}

/** The whole application: the session decides between the login page and the signed-in shell. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <SignedInRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
