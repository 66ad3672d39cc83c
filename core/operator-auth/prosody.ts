/**
 * Option 2 at Prosody (PD-220): the Lua of a small authentication provider
 * and the VirtualHost lines that use it. Pure text, no I/O.
 *
 * What Prosody (0.12 + the Debian prosody-modules snapshot) offers and what
 * derlink uses of it: prosody-modules' `mod_sasl_oauthbearer` adds the
 * OAUTHBEARER mechanism (RFC 7628) and hands the account and the bearer
 * token to the host's auth provider. The provider of the same snapshot,
 * `mod_auth_oauthbearer`, is not used: it calls its URL with a blocking
 * LuaSocket request (the whole server waits for each login) and passes only
 * the token, never the account, so any valid token would log in as any
 * account. The provider below asks the grid operator's login service with
 * the account, the host and the token through Prosody's own non-blocking
 * `net.http`, and lets a login through only on a clear yes (PD-223);
 * a timeout, a transport error or an odd answer refuses it (fail closed).
 *
 * @module
 */
import { DerlinkError } from "../errors.ts";
import { OperatorAuthError } from "./errors.ts";

/** Module name of the provider (without `mod_`); `authentication = "derlink_operator"`. */
export const OPERATOR_AUTH_MODULE = "auth_derlink_operator";

/** The provider's Lua source, for a plugin dir (the harness's `plugins` option). */
export const OPERATOR_AUTH_PLUGIN_SOURCE =
  `-- derlink (core/operator-auth/prosody.ts): Option 2 of the paper's section V.
-- Logins are decided by the grid operator's login service. OAUTHBEARER (parsed by
-- prosody-modules' mod_sasl_oauthbearer) hands the account and the token to this
-- provider, which asks the service without blocking the server and lets the login
-- through only on a clear yes. Timeouts, transport errors and odd answers refuse.
local http = require "net.http";
local async = require "util.async";
local promise = require "util.promise";
local json = require "util.json";
local new_sasl = require "util.sasl".new;

local host = module.host;
local url = module:get_option_string("derlink_operator_auth_url");
local secret = module:get_option_string("derlink_operator_auth_secret");
local timeout = module:get_option_number("derlink_operator_auth_timeout", 5);
if not url or not secret then
	error("derlink_operator_auth_url and derlink_operator_auth_secret are required");
end

local function ask(username, token)
	local request = http.request(url, {
		method = "POST";
		body = http.formencode({
			{ name = "username", value = username };
			{ name = "host", value = host };
			{ name = "token", value = token };
		});
		headers = { ["Authorization"] = "Bearer " .. secret; ["Accept"] = "application/json" };
	});
	local deadline = promise.new(function (_, reject)
		module:add_timer(timeout, function () reject("timeout"); end);
	end);
	local response, err = async.wait_for(promise.race({ request, deadline }));
	if not response then
		module:log("warn", "login service unavailable (%s): refusing %s", tostring(err), username);
		return false;
	end
	if response.code ~= 200 then
		module:log("warn", "login service answered HTTP %s: refusing %s", tostring(response.code), username);
		return false;
	end
	local answer = json.decode(response.body or "");
	if type(answer) ~= "table" or answer.active ~= true or answer.sub ~= username .. "@" .. host then
		local why = type(answer) == "table" and tostring(answer.error) or "unreadable answer";
		module:log("info", "login of %s refused by the grid operator: %s", username, why);
		return false;
	end
	return true;
end

local provider = {};
local function refused() return nil, "accounts and credentials are held by the grid operator"; end
provider.test_password = refused;
provider.get_password = refused;
provider.set_password = refused;
provider.create_user = refused;
provider.delete_user = refused;
-- The operator knows the accounts; the server takes every name as existing.
function provider.user_exists() return true; end
function provider.users() return function () return nil; end; end

function provider.get_sasl_handler()
	return new_sasl(host, {
		oauthbearer = function (_, username, token)
			return ask(username, token), true;
		end;
	});
end

module:provides("auth", provider);
`;

/** Where and how Prosody reaches the login service. */
export interface OperatorAuthSettings {
  /** The login endpoint, e.g. `http://127.0.0.1:8443/login` (https in a deployment). */
  readonly url: string;
  /** The caller secret the service expects (base64url, 32..256 characters). */
  readonly callerSecret: string;
  /** Seconds Prosody waits for an answer before refusing. Default 5. */
  readonly timeoutSeconds?: number;
  /**
   * More modules to enable on the host, e.g. ["firewall"] to add Option 1's
   * rules compiled from the same ACL: Option 2 alone refuses logins only.
   */
  // spec: PD-224 DL-OPT2-5
  readonly alsoModules?: readonly string[];
}

const URL_TEXT = /^https?:\/\/[A-Za-z0-9.\-:[\]]+(\/[A-Za-z0-9._~\/-]*)?$/;
const SECRET = /^[A-Za-z0-9_-]{32,256}$/;
const MODULE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * VirtualHost lines: the provider as the host's authentication, OAUTHBEARER
 * enabled, and the service's address and secret. Every value is checked
 * against a strict pattern first, so the Lua cannot be broken out of.
 */
// spec: PD-220 DL-OPT2-4 PAPER-OPT2
export function operatorAuthHostLua(s: OperatorAuthSettings): string {
  const timeout = s.timeoutSeconds ?? 5;
  const bad = (what: string): never => {
    throw new DerlinkError(OperatorAuthError["invalid-config"], what);
  };
  if (!URL_TEXT.test(s.url)) bad("the login service URL is not a plain http(s) URL");
  if (!SECRET.test(s.callerSecret)) bad("the caller secret is not 32..256 base64url characters");
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 60) bad("timeout not in (0, 60] s");
  const modules = ["sasl_oauthbearer", ...(s.alsoModules ?? [])];
  if (!modules.every((m) => MODULE.test(m))) bad("not a module name");
  return [
    `  authentication = "${OPERATOR_AUTH_MODULE.slice("auth_".length)}"`,
    `  modules_enabled = { ${modules.map((m) => `"${m}"`).join(", ")} }`,
    `  derlink_operator_auth_url = "${s.url}"`,
    `  derlink_operator_auth_secret = "${s.callerSecret}"`,
    `  derlink_operator_auth_timeout = ${timeout}`,
  ].join("\n");
}
