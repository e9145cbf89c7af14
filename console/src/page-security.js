// 账户安全 · two-step sign-in: the signed-in person enrols an authenticator app (TOTP). The console
// calls Cognito's user pools API itself with the person's access token (GET /auth/config names it):
// AssociateSoftwareToken gives the secret, VerifySoftwareToken checks the app's first code,
// SetUserMFAPreference switches TOTP on. From the next sign-in the hosted pages ask for the app's code;
// the API answers the groups that must use it (403 mfa_required until then) once they signed in again.
import { get } from './api.js';
import { h, mount } from './dom.js';
import { t } from './i18n.js';
import { accessToken, signOut } from './session.js';
import { errorText, refuse } from './ui.js';

// One call of the Cognito user pools API (JSON 1.1, the access token in the body: no AWS signature).
async function cognito(config, action, body) {
  const response = await fetch(config.idp_url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify({ AccessToken: accessToken(), ...body }),
  });
  const answer = await response.json().catch(() => ({}));
  // e.g. CodeMismatchException for a wrong code: said in the person's language, the type kept for support
  if (!response.ok) throw refuse(`${t('security.failed')} (${answer.__type?.split('#').pop() || `HTTP ${response.status}`})`);
  return answer;
}

const enrolled = (user) => (user.UserMFASettingList || []).includes('SOFTWARE_TOKEN_MFA');

export async function securityPage(main, { user }) {
  const config = await get('/auth/config');
  const status = h('div', { 'data-testid': 'mfa-status' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'mfa-error' });
  mount(main, h('h1', {}, t('nav.security')), h('p', { class: 'muted' }, t('security.intro')), status, error);
  if (!accessToken()) {
    mount(status, h('p', { class: 'notice' }, t('security.sign_in_again')),
      h('button', { type: 'button', onclick: () => signOut(config) }, t('security.sign_out')));
    return;
  }
  const me = await cognito(config, 'GetUser', {});
  if (enrolled(me)) {
    mount(status, h('p', { class: 'notice', 'data-testid': 'mfa-enabled' }, t('security.enabled')));
    return;
  }
  const start = h('button', { type: 'button', 'data-testid': 'mfa-start', onclick: async () => {
    error.textContent = '';
    try {
      const { SecretCode: secret } = await cognito(config, 'AssociateSoftwareToken', {});
      enrol(config, status, error, user, secret);
    } catch (err) { error.textContent = errorText(err); }
  } }, t('security.start'));
  mount(status, h('p', { class: 'notice', 'data-testid': 'mfa-disabled' }, t('security.disabled')), start);
}

// The secret as text and as an otpauth:// address (an authenticator app accepts either), then the
// app's current code; on success TOTP is switched on and preferred, and the person signs in again.
function enrol(config, status, error, user, secret) {
  const label = encodeURIComponent(`${t('app.title')}:${user.username}`);
  const uri = `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(t('app.title'))}`;
  const code = h('input', { id: 'mfa-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', required: true, 'data-testid': 'mfa-code' });
  const form = h('form', { class: 'card', 'data-testid': 'mfa-enrol', onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const verified = await cognito(config, 'VerifySoftwareToken', { UserCode: code.value.trim(), FriendlyDeviceName: 'console' });
      if (verified.Status !== 'SUCCESS') throw refuse(t('security.failed'));
      await cognito(config, 'SetUserMFAPreference', { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
      mount(status, h('p', { class: 'notice', 'data-testid': 'mfa-enabled' }, t('security.done')),
        h('button', { type: 'button', 'data-testid': 'mfa-sign-in-again', onclick: () => signOut(config) }, t('security.sign_out')));
    } catch (err) { error.textContent = errorText(err); }
  } },
  h('p', {}, t('security.step1')),
  h('p', {}, t('security.secret'), ' ', h('code', { 'data-testid': 'mfa-secret' }, secret)),
  h('p', {}, t('security.uri'), ' ', h('code', { 'data-testid': 'mfa-uri' }, uri)),
  h('p', {}, h('label', { for: 'mfa-code' }, t('security.step2')), ' ', code),
  h('p', {}, h('button', { type: 'submit', 'data-testid': 'mfa-verify' }, t('security.verify'))));
  mount(status, form);
}
