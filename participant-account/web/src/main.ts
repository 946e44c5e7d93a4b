// First: the schemas below must be built with Zod's eval-free parsers (see the module).
import '../../../shared/web/zod-without-eval.js';
import { h } from '../../../shared/web/dom.js';
import { ParticipantApi } from './api.js';
import { CognitoSignIn, type Tokens } from './cognito.js';
import { type AppConfig, apiEndpoint, parseAppConfig } from './config.js';
import { browserSessionStore, needsRefresh, type Session, sessionFromTokens } from './session.js';
import { signInView } from './sign-in-view.js';
import { workspaceView } from './workspace-view.js';

function requireElement(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html must have #${id}`);
  return element;
}

const app = requireElement('app');
const status = requireElement('status');
const signedInAs = requireElement('signed-in-as');
const signOutButton = requireElement('sign-out');
const sessions = browserSessionStore(sessionStorage);

document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  requireElement('main').focus();
});

async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('./config.json', {
    headers: { accept: 'application/json' },
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`config.json could not be loaded (HTTP ${response.status})`);
  return parseAppConfig(await response.json());
}

function start(config: AppConfig): void {
  const cognito = new CognitoSignIn(config);
  requireElement('team-name').textContent = `${config.teamDisplayName} · team workspace`;
  document.title = `LLM League — ${config.teamDisplayName}`;
  const leaderboardLink = requireElement('leaderboard-link');
  if (config.leaderboardUrl) {
    leaderboardLink.setAttribute('href', config.leaderboardUrl);
    leaderboardLink.hidden = false;
  }

  let refreshing: Promise<Session> | undefined;
  /** The current session's ID token, renewed first when it is about to expire. */
  async function idToken(): Promise<string> {
    const session = sessions.load();
    if (!session) throw new Error('not signed in');
    if (!needsRefresh(session, Date.now())) return session.idToken;
    if (!session.refreshToken) return session.idToken; // the API answers 401 and the app signs out
    refreshing ??= cognito
      .refresh(session.refreshToken)
      .then((tokens) => {
        const renewed = sessionFromTokens(session.email, tokens, Date.now());
        sessions.save(renewed);
        return renewed;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return (await refreshing).idToken;
  }

  const api = new ParticipantApi({
    idToken,
    url: (path) => apiEndpoint(config, path, location.href),
    fetch: (input, init) => fetch(input, init),
  });

  function showSignIn(notice?: string) {
    sessions.clear();
    signedInAs.textContent = '';
    signOutButton.hidden = true;
    status.textContent = '';
    app.replaceChildren(
      signInView({
        cognito,
        teamDisplayName: config.teamDisplayName,
        notice,
        onSignedIn: (email: string, tokens: Tokens) => {
          sessions.save(sessionFromTokens(email, tokens, Date.now()));
          showWorkspace();
        },
      }),
    );
  }

  function showWorkspace() {
    const session = sessions.load();
    if (!session) return showSignIn();
    signedInAs.textContent = session.email;
    signOutButton.hidden = false;
    status.textContent = '';
    app.replaceChildren(
      workspaceView({
        api,
        teamId: config.teamId,
        memory: localStorage,
        onSessionExpired: (message) => showSignIn(message),
      }),
    );
    requireElement('main').focus();
  }

  signOutButton.addEventListener('click', () => showSignIn('You have signed out.'));
  if (sessions.load()) showWorkspace();
  else showSignIn();
}

loadConfig().then(start, (error: unknown) => {
  status.textContent = '';
  app.replaceChildren(
    h(
      'p',
      { class: 'error', role: 'alert' },
      `The workspace cannot start: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
});
