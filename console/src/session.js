// The Cognito ID token, kept in sessionStorage (gone when the tab closes); roles from cognito:groups.
const KEY = 'console.id_token';

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

export function store(token) { sessionStorage.setItem(KEY, token); }
export function clear() { sessionStorage.removeItem(KEY); }
export const hasRole = (user, roles) => !!user && user.roles.some((r) => roles.includes(r));
