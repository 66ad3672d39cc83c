"""SCRAM-SHA-1 / SCRAM-SHA-256 (-PLUS) client and server for the example IUT.

Written from RFC 5802, RFC 7677, RFC 4013 (SASLprep) and derlink's profile
decisions (docs/conformance.md): strict attribute order, canonical base64,
upper-case SASLname escapes (PD-41), an iteration-count window given by the
runner's policy (PD-42), y refused when -PLUS was advertised (RFC 5802 §6).
Only the Python standard library is used. Refusals raise Refusal(code) with
the derlink error code a vector expects; each machine turns them into an
`error` output and the phase `failed`.
"""

import base64
import binascii
import hashlib
import hmac
import re
import stringprep
import unicodedata


class Refusal(Exception):
    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class Unsupported(Exception):
    """A request outside what this IUT implements (reported not applicable)."""


def refuse(code, detail=""):
    raise Refusal(code, detail)


HASHES = {"SHA-1": hashlib.sha1, "SHA-256": hashlib.sha256}
CHANNEL_BINDING_TYPES = ("tls-exporter", "tls-unique", "tls-server-end-point")


def parse_mechanism(name):
    m = re.fullmatch(r"SCRAM-(SHA-1|SHA-256)(-PLUS)?", name or "")
    if not m:
        refuse("sasl/unknown-mechanism", str(name))
    return m.group(1), m.group(2) is not None


# --- SASLprep (RFC 4013 over the Unicode 3.2 tables of RFC 3454) -----------

def saslprep(text, allow_unassigned):
    """The prepared string, or None when it must be refused."""
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return None  # a lone surrogate is not a character
    mapped = []
    for c in text:
        if stringprep.in_table_b1(c):
            continue  # mapped to nothing
        mapped.append(" " if stringprep.in_table_c12(c) else c)
    out = unicodedata.ucd_3_2_0.normalize("NFKC", "".join(mapped))
    prohibited = (
        stringprep.in_table_c12, stringprep.in_table_c21_c22, stringprep.in_table_c3,
        stringprep.in_table_c4, stringprep.in_table_c5, stringprep.in_table_c6,
        stringprep.in_table_c7, stringprep.in_table_c8, stringprep.in_table_c9,
    )
    for c in out:
        if any(table(c) for table in prohibited):
            return None
        if not allow_unassigned and stringprep.in_table_a1(c):
            return None
    if any(stringprep.in_table_d1(c) for c in out):
        if any(stringprep.in_table_d2(c) for c in out):
            return None
        if not (stringprep.in_table_d1(out[0]) and stringprep.in_table_d1(out[-1])):
            return None
    return out


# --- the attribute syntax of RFC 5802 §7 --------------------------------

def decode_utf8(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        refuse("sasl/invalid-encoding", "not UTF-8")


def split_attributes(text):
    attrs = []
    for part in text.split(","):
        m = re.fullmatch(r"([A-Za-z])=(.+)", part, re.DOTALL)
        if not m or "\0" in m.group(2):
            refuse("sasl/malformed-message", f"attribute {len(attrs) + 1} is not letter=value")
        attrs.append((m.group(1), m.group(2)))
    return attrs


def expect(attrs, index, name):
    if index >= len(attrs):
        refuse("sasl/malformed-message", f"missing {name}=")
    got, value = attrs[index]
    if got == "m":
        refuse("sasl/unknown-extension", "m= is not supported")
    if got != name:
        refuse("sasl/malformed-message", f"expected {name}= at position {index + 1}")
    return value


def check_extensions(attrs, start):
    for name, _ in attrs[start:]:
        if name == "m":
            refuse("sasl/unknown-extension", "m= is not supported")


def check_nonce(nonce):
    if not re.fullmatch(r"[\x21-\x2B\x2D-\x7E]+", nonce):
        refuse("sasl/invalid-nonce", f"nonce of {len(nonce)} chars")
    return nonce


def escape_saslname(s):
    return s.replace("=", "=3D").replace(",", "=2C")


def unescape_saslname(s, code):
    if re.search(r"=(?!2C|3D)", s):
        refuse(code, "'=' not followed by 2C or 3D")
    return re.sub(r"=2C|=3D", lambda m: "," if m.group(0) == "=2C" else "=", s)


def b64decode_canonical(text, what):
    """Canonical base64 only: padded, and re-encoding gives the same text."""
    if not re.fullmatch(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", text):
        refuse("sasl/invalid-base64", f"{what} is not canonical base64")
    try:
        data = base64.b64decode(text, validate=True)
    except binascii.Error:
        refuse("sasl/invalid-base64", f"{what} is not canonical base64")
    if base64.b64encode(data).decode("ascii") != text:
        refuse("sasl/invalid-base64", f"{what} has non-zero padding bits")
    return data


def b64(data):
    return base64.b64encode(data).decode("ascii")


def parse_iterations(text):
    if not re.fullmatch(r"[1-9][0-9]*", text):
        refuse("sasl/malformed-message", "i= is not a positive number")
    return int(text)


def channel_binding_value(gs2_header, cb_data):
    return b64(gs2_header.encode("utf-8") + cb_data)


# --- the SCRAM computations (RFC 5802 §3) ---------------------------------

def hmac_(hash_name, key, data):
    return hmac.new(key, data, HASHES[hash_name]).digest()


def derive_keys(hash_name, password, salt, iterations):
    salted = hashlib.pbkdf2_hmac(hash_name.replace("-", "").lower(), password.encode("utf-8"),
                                 salt, iterations)
    client_key = hmac_(hash_name, salted, b"Client Key")
    stored_key = HASHES[hash_name](client_key).digest()
    server_key = hmac_(hash_name, salted, b"Server Key")
    return client_key, stored_key, server_key


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def prepare_password(password):
    p = saslprep(password, allow_unassigned=False)
    if p is None:
        refuse("sasl/invalid-password", "SASLprep refused the password")
    return p


class Machine:
    """Steps with Refusal turned into an error output and the phase `failed`."""

    phase = "initial"

    def step(self, message_input):
        kind = str(message_input.get("type", ""))
        handler = getattr(self, f"on_{self.phase}_{kind}".replace("-", "_"), None)
        if handler is None:
            detail = f"{kind} in phase {self.phase}"
            self.phase = "failed"
            return [{"type": "error", "code": "core/invalid-argument", "detail": detail}]
        try:
            return handler(message_input)
        except Refusal as r:
            self.phase = "failed"
            return [{"type": "error", "code": r.code, "detail": r.detail}]


def message_bytes(m):
    """A protocol message: a JSON string (UTF-8 text) or {"hex": ...}."""
    if isinstance(m, str):
        return m.encode("utf-8", "surrogatepass")
    if isinstance(m, dict) and isinstance(m.get("hex"), str):
        return bytes.fromhex(m["hex"])
    raise Unsupported("message is neither a string nor {hex}")


def send(text):
    return {"type": "send", "message": text}


class ScramClient(Machine):
    """Inputs: start, server-first, server-final (docs/conformance.md)."""

    def __init__(self, config, faults):
        self.config = config
        self.faults = faults
        policy = config.get("policy") or {}
        self.min_iterations = policy.get("minIterations", 4096)
        self.max_iterations = policy.get("maxIterations", 600000)

    def on_initial_start(self, _):
        c = self.config
        self.hash, plus = parse_mechanism(c.get("mechanism"))
        cb = c.get("channelBinding")
        if plus:
            if not cb:
                refuse("sasl/channel-binding-unsupported", "a -PLUS mechanism needs binding data")
            flag, self.cb_data = f"p={cb['type']}", bytes.fromhex(cb["data"])
        else:
            flag, self.cb_data = ("y" if c.get("clientSupportsBinding") else "n"), b""
        user = saslprep(c["username"], allow_unassigned=True)
        if not user:
            refuse("sasl/invalid-username", "SASLprep refused the username or it is empty")
        authzid = c.get("authzid")
        if authzid is not None and (authzid == "" or any(0xD800 <= ord(x) <= 0xDFFF for x in authzid)):
            refuse("sasl/invalid-authzid", "authzid must be a non-empty well-formed string")
        self.password = prepare_password(c["password"])
        self.nonce = check_nonce(c["clientNonce"])
        self.gs2 = f"{flag},{'' if authzid is None else 'a=' + escape_saslname(authzid)},"
        self.first_bare = f"n={escape_saslname(user)},r={self.nonce}"
        self.phase = "awaiting-server-first"
        return [send(self.gs2 + self.first_bare)]

    def on_awaiting_server_first_server_first(self, message_input):
        text = decode_utf8(message_bytes(message_input["message"]))
        attrs = split_attributes(text)
        nonce = expect(attrs, 0, "r")
        salt_text = expect(attrs, 1, "s")
        iterations_text = expect(attrs, 2, "i")
        check_extensions(attrs, 3)
        check_nonce(nonce)
        if not nonce.startswith(self.nonce) or len(nonce) == len(self.nonce):
            refuse("sasl/nonce-mismatch", "server nonce does not extend the client nonce")
        salt = b64decode_canonical(salt_text, "salt")
        if not salt:
            refuse("sasl/invalid-salt", "empty salt")
        iterations = parse_iterations(iterations_text)
        if iterations < self.min_iterations:
            refuse("sasl/iterations-too-low", f"{iterations} < {self.min_iterations}")
        if iterations > self.max_iterations:
            refuse("sasl/iterations-too-high", f"i= above {self.max_iterations}")
        client_key, stored_key, server_key = derive_keys(self.hash, self.password, salt, iterations)
        without_proof = f"c={channel_binding_value(self.gs2, self.cb_data)},r={nonce}"
        auth_message = f"{self.first_bare},{text},{without_proof}".encode("utf-8")
        proof = xor(client_key, hmac_(self.hash, stored_key, auth_message))
        self.expected_signature = hmac_(self.hash, server_key, auth_message)
        self.phase = "awaiting-server-final"
        return [send(f"{without_proof},p={b64(proof)}")]

    def on_awaiting_server_final_server_final(self, message_input):
        text = decode_utf8(message_bytes(message_input["message"]))
        attrs = split_attributes(text)
        if attrs[0][0] == "e":
            refuse(server_error_code(attrs[0][1]), f"e={attrs[0][1]}")
        verifier = expect(attrs, 0, "v")
        check_extensions(attrs, 1)
        signature = b64decode_canonical(verifier, "verifier")
        # The broken variant the tests use: a client that believes any server.
        if "skip-server-signature" not in self.faults:
            if not hmac.compare_digest(signature, self.expected_signature):
                refuse("sasl/bad-server-signature", "server signature does not verify")
        self.phase = "succeeded"
        return [{"type": "success"}]


SERVER_ERROR_VALUES = (
    "invalid-encoding", "extensions-not-supported", "invalid-proof", "channel-bindings-dont-match",
    "server-does-support-channel-binding", "channel-binding-not-supported",
    "unsupported-channel-binding-type", "unknown-user", "invalid-username-encoding",
    "no-resources", "other-error",
)


def server_error_code(value):
    """The code for a server's e= value: sasl/server-<value>, unknown values as other-error."""
    if value not in SERVER_ERROR_VALUES:
        return "sasl/server-other-error"
    return f"sasl/{value}" if value.startswith("server-") else f"sasl/server-{value}"


def stored_credentials(creds, hash_name):
    """(salt, iterations, stored_key, server_key) from the config's credentials."""
    if "stored" in creds:
        m = re.fullmatch(r"SCRAM-(SHA-1|SHA-256)\$([^:$]+):([^:$]+)\$([^:$]+):([^:$]+)",
                         creds["stored"])
        if not m or m.group(1) != hash_name:
            raise Unsupported("stored credentials in another form or for another hash")
        return (b64decode_canonical(m.group(3), "salt"), parse_iterations(m.group(2)),
                b64decode_canonical(m.group(4), "StoredKey"),
                b64decode_canonical(m.group(5), "ServerKey"))
    salt = b64decode_canonical(creds["salt"], "salt")
    _, stored_key, server_key = derive_keys(
        hash_name, prepare_password(creds["password"]), salt, creds["iterations"])
    return salt, creds["iterations"], stored_key, server_key


class ScramServer(Machine):
    """Inputs: client-first (read, credential lookup, server-first), client-final."""

    def __init__(self, config, faults):
        self.config = config
        self.faults = faults

    def on_initial_client_first(self, message_input):
        c = self.config
        self.hash, plus = parse_mechanism(c.get("mechanism"))
        text = decode_utf8(message_bytes(message_input["message"]))
        first = text.find(",")
        second = text.find(",", first + 1) if first >= 0 else -1
        if second < 0:
            refuse("sasl/malformed-message", "no GS2 header")
        flag, authz = text[:first], text[first + 1:second]
        if flag not in ("n", "y") and not re.fullmatch(r"p=[A-Za-z0-9.-]+", flag):
            refuse("sasl/malformed-message", "GS2 flag is not n, y or p=<cb-name>")
        if authz != "":
            if not authz.startswith("a=") or len(authz) == 2:
                refuse("sasl/malformed-message", "GS2 authzid is not a=<saslname>")
            unescape_saslname(authz[2:], "sasl/invalid-authzid")
        self.gs2 = text[:second + 1]
        self.first_bare = text[second + 1:]
        attrs = split_attributes(self.first_bare)
        name = expect(attrs, 0, "n")
        self.client_nonce = expect(attrs, 1, "r")
        check_extensions(attrs, 2)
        check_nonce(self.client_nonce)
        username = saslprep(unescape_saslname(name, "sasl/invalid-username"), True)
        if not username:
            refuse("sasl/invalid-username", "SASLprep refused the username or it is empty")
        self.cb_data = b""
        if flag.startswith("p="):
            if not plus:
                refuse("sasl/channel-binding-flag-mismatch", "p= with a non-PLUS mechanism")
            kind = flag[2:]
            data = (c.get("channelBindings") or {}).get(kind) if kind in CHANNEL_BINDING_TYPES else None
            if not data:
                refuse("sasl/channel-binding-unsupported", f"no {kind} binding here")
            self.cb_data = bytes.fromhex(data)
        else:
            if plus:
                refuse("sasl/channel-binding-flag-mismatch", f"{flag} with a -PLUS mechanism")
            if flag == "y" and c.get("advertisedPlus"):
                refuse("sasl/channel-binding-downgrade", "client sent y although -PLUS was advertised")
            if c.get("requireChannelBinding"):
                refuse("sasl/channel-binding-required", "policy requires channel binding")
        creds = c["credentials"]
        unknown = c.get("unknownUser")
        self.user_known = username == creds["username"]
        if self.user_known:
            salt, iterations, self.stored_key, self.server_key = stored_credentials(creds, self.hash)
        elif isinstance(unknown, dict):
            # A decoy salt and count: the exchange fails at the proof, like a wrong password.
            salt = b64decode_canonical(unknown["decoySalt"], "decoy salt")
            iterations = unknown["decoyIterations"]
            self.stored_key = self.server_key = bytes(HASHES[self.hash]().digest_size)
        else:
            refuse("sasl/unknown-user", "no credentials for this username")
        self.nonce = self.client_nonce + check_nonce(c["serverNonce"])
        self.server_first = f"r={self.nonce},s={b64(salt)},i={iterations}"
        self.phase = "awaiting-client-final"
        return [send(self.server_first)]

    def on_awaiting_client_final_client_final(self, message_input):
        text = decode_utf8(message_bytes(message_input["message"]))
        attrs = split_attributes(text)
        cbind = expect(attrs, 0, "c")
        nonce = expect(attrs, 1, "r")
        check_extensions(attrs[:-1], 2)
        proof_text = expect(attrs, max(2, len(attrs) - 1), "p")
        b64decode_canonical(cbind, "channel binding")
        expected = channel_binding_value(self.gs2, self.cb_data)
        if not hmac.compare_digest(cbind.encode("utf-8"), expected.encode("utf-8")):
            refuse("sasl/channel-binding-mismatch", "c= differs from this connection's binding")
        if nonce != self.nonce:
            refuse("sasl/nonce-mismatch", "final nonce differs")
        proof = b64decode_canonical(proof_text, "proof")
        without_proof = text[:text.rindex(",")]
        auth_message = f"{self.first_bare},{self.server_first},{without_proof}".encode("utf-8")
        signature = hmac_(self.hash, self.stored_key, auth_message)
        verified = len(proof) == len(signature) and hmac.compare_digest(
            HASHES[self.hash](xor(proof, signature)).digest(), self.stored_key)
        if not verified or not self.user_known:
            refuse("sasl/not-authorized", "client proof does not verify")
        self.phase = "succeeded"
        return [send(f"v={b64(hmac_(self.hash, self.server_key, auth_message))}"),
                {"type": "success"}]
