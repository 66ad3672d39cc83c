/**
 * The login service's HTTP contract (PD-223), as a pure function of the
 * request's method, headers and body text — the adapter
 * (adapters/operator_auth_service.ts) only moves bytes.
 *
 * Request: `POST` with `Authorization: Bearer <caller secret>` and an
 * `application/x-www-form-urlencoded` body holding exactly `username`,
 * `host` and `token` once each (what Prosody's `net.http` sends).
 * Answer, modelled on OAuth token introspection (RFC 7662 §2.2):
 *
 *  - 200 `{"active": true, "sub": "<bare JID>", "groups": [...], "exp": n}`;
 *  - 200 `{"active": false, "error": "<code>"}` for a refused login;
 *  - 401 `{"error": "operator-auth/unauthorized-caller"}`, 405 / 400 / 413
 *    `{"error": "operator-auth/bad-request"}` for requests that are not a
 *    login question at all.
 *
 * The XMPP server lets the login through only on 200 with `active: true`
 * and `sub` equal to the account; anything else, a timeout included, is a
 * refusal (fail closed).
 *
 * @module
 */
import { OperatorAuthError } from "./errors.ts";
import type { LoginService } from "./decide.ts";

/** A request as the adapter read it. */
export interface HttpLoginRequest {
  readonly method: string;
  readonly authorization: string | null;
  readonly contentType: string | null;
  /** The body text; `undefined` when it was longer than MAX_BODY_BYTES. */
  readonly body: string | undefined;
}

export interface HttpLoginAnswer {
  readonly status: 200 | 400 | 401 | 405 | 413;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Largest body read (a token is at most 8192 characters). */
export const MAX_BODY_BYTES = 16 * 1024;
const FIELDS = ["username", "host", "token"] as const;
const badRequest = (status: 400 | 405 | 413): HttpLoginAnswer => ({
  status,
  body: { error: OperatorAuthError["bad-request"] },
});

/** Reads the three form fields; undefined unless each is there exactly once and nothing else. */
export function readLoginForm(body: string): Record<typeof FIELDS[number], string> | undefined {
  const form = new URLSearchParams(body);
  const keys = [...form.keys()];
  if (keys.length !== FIELDS.length || !FIELDS.every((f) => keys.includes(f))) return undefined;
  const out = Object.fromEntries(FIELDS.map((f) => [f, form.get(f) ?? ""]));
  return Object.values(out).every((v) => v.length > 0 && v.length <= 8192)
    ? out as Record<typeof FIELDS[number], string>
    : undefined;
}

/** Answers one HTTP request to the login endpoint at `now` (ms). */
// spec: PD-223 DL-OPT2-3 RFC7662-2.2
export async function answerLoginRequest(
  service: LoginService,
  request: HttpLoginRequest,
  now: number,
): Promise<HttpLoginAnswer> {
  if (request.method !== "POST") return badRequest(405);
  const auth = request.authorization ?? "";
  // spec: PD-223 DL-OPT2-3
  if (!auth.startsWith("Bearer ") || !service.callerAllowed(auth.slice(7))) {
    return { status: 401, body: { error: OperatorAuthError["unauthorized-caller"] } };
  }
  if (request.body === undefined) return badRequest(413);
  const type = (request.contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return badRequest(400);
  const form = readLoginForm(request.body);
  if (!form) return badRequest(400);
  const d = await service.decide(form, now);
  // spec: RFC7662-2.2
  return d.allow
    ? { status: 200, body: { active: true, sub: d.jid, groups: d.groups, exp: d.exp } }
    : { status: 200, body: { active: false, error: d.code } };
}
