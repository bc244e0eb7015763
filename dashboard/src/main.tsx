// Entry point: reads config.json, then renders the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { loadConfig } from './config.js';
import { I18nProvider } from './i18n/i18n.js';
import { SessionProvider } from './session.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no element with id "root".');

const config = await loadConfig();
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider config={config}>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
