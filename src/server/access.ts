import { createHash, timingSafeEqual } from 'node:crypto';

/** Who may call the reward server. */
export interface AccessOptions {
  /** Bearer token every request but `GET /healthz` must carry (`Authorization: Bearer …`); unset: none. */
  token?: string | undefined;
  /**
   * `Host` header values accepted (`host:port` or `host`), against DNS rebinding; unset: any. A loopback server
   * started by `startRewardServer` defaults to its own loopback names.
   */
  allowedHosts?: readonly string[] | undefined;
  /**
   * Browser origins allowed to call (`Origin` header, e.g. `http://localhost:5173`). Default none: a request
   * that carries an `Origin` is refused, so a web page cannot post to a local server. Trainers send no Origin.
   */
  allowedOrigins?: readonly string[] | undefined;
}

/** Why a request was refused: its status, message, and the reason label of the metrics. */
export interface AccessDenied {
  status: 401 | 403 | 415;
  reason: 'auth' | 'host' | 'origin' | 'content-type';
  message: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares two secrets in time that depends on neither (both are hashed to 32 bytes first). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The loopback names a server bound to `host:port` answers to. */
export function loopbackHosts(port: number): string[] {
  return ['127.0.0.1', 'localhost', '[::1]'].flatMap((name) => [name, `${name}:${port}`]);
}

/** Is `host` a loopback interface (127.0.0.0/8, ::1, localhost)? */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The parts of a request {@link checkAccess} reads: a fetch `Request` or the front's view of a Node request. */
export interface AccessRequest {
  method: string;
  /** The URL path, without the query. */
  path: string;
  header(name: string): string | null;
}

/** A fetch `Request` as an {@link AccessRequest}. */
export function accessRequestOf(request: Request): AccessRequest {
  return { method: request.method, path: new URL(request.url).pathname, header: (name) => request.headers.get(name) };
}

// RFC 9110: the auth scheme is case-insensitive, and one or more spaces separate it from the credentials.
const BEARER = /^bearer +(\S+) *$/i;

/**
 * Checks a request against {@link AccessOptions}: the `Host` header, the `Origin` header, the bearer token, and
 * that a POST body is declared JSON (browsers may send `text/plain` cross-origin without a preflight, so only
 * `application/json` is read). A CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed
 * origin needs no token: browsers never send credentials on it. Returns null when the request may go on.
 */
export function checkAccess(request: Request | AccessRequest, access: AccessOptions | undefined): AccessDenied | null {
  const r = request instanceof Request ? accessRequestOf(request) : request;
  if (access?.allowedHosts !== undefined) {
    const host = (r.header('host') ?? '').toLowerCase();
    if (!access.allowedHosts.includes(host)) return { status: 403, reason: 'host', message: `host '${host}' is not served here` };
  }
  const origin = r.header('origin');
  if (origin !== null && !(access?.allowedOrigins ?? []).includes(origin)) {
    return { status: 403, reason: 'origin', message: 'cross-origin requests are not allowed' };
  }
  if (isPreflight(r)) return null;
  if (access?.token !== undefined && r.path !== '/healthz') {
    const given = BEARER.exec(r.header('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, access.token)) return { status: 401, reason: 'auth', message: 'missing or wrong bearer token' };
  }
  if (r.method === 'POST') {
    const type = (r.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, reason: 'content-type', message: "POST bodies must be sent as 'content-type: application/json'" };
  }
  return null;
}

/** Is this a CORS preflight? */
export function isPreflight(request: AccessRequest): boolean {
  return request.method === 'OPTIONS' && request.header('origin') !== null && request.header('access-control-request-method') !== null;
}

/**
 * The CORS headers for a request from an allowed origin (none for other requests): every answer names the
 * origin; a preflight also lists the methods and headers a caller may use, for 10 minutes.
 */
export function corsHeaders(request: AccessRequest, access: AccessOptions | undefined): Record<string, string> {
  const origin = request.header('origin');
  if (origin === null || !(access?.allowedOrigins ?? []).includes(origin)) return {};
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (isPreflight(request)) {
    headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
    headers['access-control-allow-headers'] = 'authorization, content-type';
    headers['access-control-max-age'] = '600';
  }
  return headers;
}
