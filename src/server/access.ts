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

/**
 * Checks a request against {@link AccessOptions}: the `Host` header, the `Origin` header, the bearer token, and
 * that a POST body is declared JSON (browsers may send `text/plain` cross-origin without a preflight, so only
 * `application/json` is read). Returns null when the request may go on.
 */
export function checkAccess(request: Request, access: AccessOptions | undefined): AccessDenied | null {
  const headers = request.headers;
  if (access?.allowedHosts !== undefined) {
    const host = (headers.get('host') ?? '').toLowerCase();
    if (!access.allowedHosts.includes(host)) return { status: 403, reason: 'host', message: `host '${host}' is not served here` };
  }
  const origin = headers.get('origin');
  if (origin !== null && !(access?.allowedOrigins ?? []).includes(origin)) {
    return { status: 403, reason: 'origin', message: 'cross-origin requests are not allowed' };
  }
  const path = new URL(request.url).pathname;
  if (access?.token !== undefined && path !== '/healthz') {
    const header = headers.get('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!sameSecret(given, access.token)) return { status: 401, reason: 'auth', message: 'missing or wrong bearer token' };
  }
  if (request.method === 'POST') {
    const type = (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, reason: 'content-type', message: "POST bodies must be sent as 'content-type: application/json'" };
  }
  return null;
}
