// The Cognito ID token, kept in sessionStorage (gone when the tab closes); roles from cognito:groups.
// Sign-in is the authorization code flow with PKCE (S256) at the hosted sign-in pages the API names
// (GET /auth/config): the password is typed there, never here. The access token stays beside it for
// Cognito's own self-service calls (enrolling an authenticator app); it never goes to the API.
const KEY = 'console.id_token';
const ACCESS = 'console.access_token';
const PENDING = 'console.sign_in';

function decode(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function current() {
  const token = sessionStorage.getItem(KEY);
  if (!token) return null;
  try {
    const claims = decode(token);
    if (claims.exp && claims.exp * 1000 < Date.now()) { sessionStorage.removeItem(KEY); return null; }
    return {
      token,
      username: claims['cognito:username'] || claims.sub,
      roles: claims['cognito:groups'] || [],
      department: claims['custom:department'] || null,
    };
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export function store(token, access) {
  sessionStorage.setItem(KEY, token);
  if (access) sessionStorage.setItem(ACCESS, access);
}
export function clear() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(ACCESS); }
export const accessToken = () => sessionStorage.getItem(ACCESS);
export const hasRole = (user, roles) => !!user && user.roles.some((r) => roles.includes(r));

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n) => base64url(crypto.getRandomValues(new Uint8Array(n)));
// The console's own address: the callback the app client registers (…/console/).
export const redirectUri = () => new URL('.', document.baseURI).href;

// Send the browser to the hosted sign-in page with a fresh verifier (kept in this tab) and its S256 challenge.
export async function beginSignIn(config) {
  const verifier = random(48);
  const state = random(16);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, hash: location.hash }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    code_challenge: base64url(digest),
    code_challenge_method: 'S256',
    state,
    scope: config.scope,
  });
  location.assign(`${config.authorize_url}?${query}`);
}

// Back from the hosted page with ?code&state: check the state, exchange code + verifier for the tokens,
// keep the ID token. Returns false when the address carries no sign-in answer.
export async function finishSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri() + (pending?.hash || ''));
  if (params.has('error')) throw new Error(params.get('error'));
  if (!pending || params.get('state') !== pending.state) throw new Error('state');
  const response = await fetch(config.token_url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.client_id,
      code: params.get('code'),
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json();
  if (!response.ok || !tokens.id_token) throw new Error(tokens.error || `HTTP ${response.status}`);
  store(tokens.id_token, tokens.access_token);
  return true;
}

// Sign out here and at the hosted pages (their session too), back to the console.
export function signOut(config) {
  clear();
  const query = new URLSearchParams({ client_id: config.client_id, logout_uri: redirectUri() });
  location.assign(`${config.logout_url}?${query}`);
}
