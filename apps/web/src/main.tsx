import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ApiError } from './auth/api-client';
import { SessionProvider } from './auth/session';
import { I18nProvider } from './i18n';
import './styles.css';
import './staff.css';
import './inbox/inbox.css';
import './inbox/conversation.css';
import './inbox/composer.css';

// Server state of the staff pages (the inbox). A refused call (4xx) is an answer, not a hiccup: no retries for it.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500), refetchOnWindowFocus: true },
    mutations: { retry: false },
  },
});

const root = document.getElementById('root');
if (!root) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
