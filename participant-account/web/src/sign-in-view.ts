import { h } from '../../../shared/web/dom.js';
import { type CognitoSignIn, SignInError, type SignInStep, type Tokens } from './cognito.js';

export interface SignInViewOptions {
  readonly cognito: CognitoSignIn;
  readonly teamDisplayName: string;
  /** A message to show above the form (e.g. why the user was signed out). */
  readonly notice?: string | undefined;
  readonly onSignedIn: (email: string, tokens: Tokens) => void;
}

/** The sign-in form, and the steps Cognito may ask for after it (a new password, an MFA code). */
export function signInView(options: SignInViewOptions): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' });
  const container = h('section', { class: 'card sign-in', 'aria-labelledby': 'sign-in-heading' });
  let email = '';

  const showError = (message: string) => {
    error.textContent = message;
  };

  async function advance(step: Promise<SignInStep>, button: HTMLButtonElement) {
    showError('');
    button.disabled = true;
    try {
      const next = await step;
      if (next.kind === 'signed-in') options.onSignedIn(email, next.tokens);
      else if (next.kind === 'new-password') render(newPasswordForm(next.session));
      else render(mfaForm(next.session));
    } catch (failure) {
      showError(failure instanceof SignInError ? failure.message : 'Sign-in failed; try again.');
    } finally {
      button.disabled = false;
    }
  }

  function passwordForm(): HTMLFormElement {
    const emailInput = h('input', {
      id: 'email',
      name: 'email',
      type: 'email',
      autocomplete: 'username',
      required: true,
    });
    const passwordInput = h('input', {
      id: 'password',
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const button = h('button', { type: 'submit' }, 'Sign in');
    const form = h(
      'form',
      { novalidate: true },
      h('label', { for: 'email' }, 'E-mail address'),
      emailInput,
      h('label', { for: 'password' }, 'Password'),
      passwordInput,
      button,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      email = emailInput.value.trim();
      if (email === '' || passwordInput.value === '') {
        showError('Enter your e-mail address and password.');
        (email === '' ? emailInput : passwordInput).focus();
        return;
      }
      void advance(options.cognito.signIn(email, passwordInput.value), button);
    });
    return form;
  }

  function newPasswordForm(session: string): HTMLFormElement {
    const first = h('input', {
      id: 'new-password',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
    });
    const second = h('input', {
      id: 'repeat-password',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
    });
    const button = h('button', { type: 'submit' }, 'Set password and sign in');
    const form = h(
      'form',
      { novalidate: true },
      h(
        'p',
        {},
        'This is your first sign-in: choose your own password (at least 12 characters, with upper and lower case letters, a digit and a symbol).',
      ),
      h('label', { for: 'new-password' }, 'New password'),
      first,
      h('label', { for: 'repeat-password' }, 'Repeat the new password'),
      second,
      button,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (first.value !== second.value) {
        showError('The two passwords differ.');
        second.focus();
        return;
      }
      void advance(options.cognito.setNewPassword(email, first.value, session), button);
    });
    return form;
  }

  function mfaForm(session: string): HTMLFormElement {
    const code = h('input', {
      id: 'mfa-code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9]{6}',
      required: true,
    });
    const button = h('button', { type: 'submit' }, 'Verify');
    const form = h(
      'form',
      { novalidate: true },
      h('label', { for: 'mfa-code' }, 'The 6-digit code from your authenticator app'),
      code,
      button,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void advance(options.cognito.answerMfa(email, code.value.trim(), session), button);
    });
    return form;
  }

  function render(form: HTMLFormElement) {
    container.replaceChildren(
      h('h2', { id: 'sign-in-heading' }, `Sign in to ${options.teamDisplayName}`),
      ...(options.notice ? [h('p', { class: 'notice', id: 'sign-in-notice' }, options.notice)] : []),
      error,
      form,
    );
    form.querySelector('input')?.focus();
  }

  render(passwordForm());
  return container;
}
