"""The first stream of RFC 6120 for the example IUT: initiator and receiver.

A deliberately small implementation: it checks the stream header (RFC 6120
§4.7-4.8), reads a stream error, and negotiates up to STARTTLS (§5), which
TLS is mandatory for in derlink's profile. Anything past the point where
TLS would start — and every configuration or input it does not know — is
answered `unsupported`, so those cases are reported not applicable instead of
being guessed at. The XML is read with the standard library's expat parser
(without its namespace mode: prefixes are resolved here, as the stream
header's declarations must be checked by hand anyway).
"""

import re
import xml.parsers.expat

from iut_scram import Unsupported

NS_STREAMS = "http://etherx.jabber.org/streams"
NS_CLIENT = "jabber:client"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"
NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"

# RFC 6120 §4.9.3: the defined stream error conditions.
CONDITIONS = {
    "bad-format", "bad-namespace-prefix", "conflict", "connection-timeout", "host-gone",
    "host-unknown", "improper-addressing", "internal-server-error", "invalid-from",
    "invalid-namespace", "invalid-xml", "not-authorized", "not-well-formed", "policy-violation",
    "remote-connection-failed", "reset", "resource-constraint", "restricted-xml",
    "see-other-host", "system-shutdown", "undefined-condition", "unsupported-encoding",
    "unsupported-feature", "unsupported-stanza-type", "unsupported-version",
}


class Element:
    def __init__(self, name, attrs, parent_decls):
        self.name, self.attrs, self.children = name, attrs, []
        self.decls = dict(parent_decls)
        for k, v in attrs.items():
            if k == "xmlns":
                self.decls[""] = v
            elif k.startswith("xmlns:"):
                self.decls[k[6:]] = v

    @property
    def local(self):
        return self.name.split(":")[-1]

    @property
    def ns(self):
        prefix = self.name.split(":")[0] if ":" in self.name else ""
        return self.decls.get(prefix)


class StreamReader:
    """Feeds bytes to expat; collects the header and each first-level element."""

    def __init__(self):
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.events, self.stack, self.header_seen = [], [], False

    def _start(self, name, attrs):
        if not self.header_seen:
            self.header_seen = True
            self.events.append(("header", name, attrs))
            self.stack.append(Element(name, attrs, {}))
            return
        el = Element(name, attrs, self.stack[-1].decls)
        if len(self.stack) > 1:
            self.stack[-1].children.append(el)
        self.stack.append(el)

    def _end(self, _name):
        el = self.stack.pop()
        if len(self.stack) == 1:
            self.events.append(("element", el))
        elif not self.stack:
            self.events.append(("close",))

    def feed(self, data):
        try:
            self.parser.Parse(data, False)
        except xml.parsers.expat.ExpatError as e:
            raise Unsupported(f"XML this example does not judge: {e}") from None
        events, self.events = self.events, []
        return events


def check_header(name, attrs):
    """The refusal condition for a bad stream header (RFC 6120 §4.8), or None."""
    decls = {("" if k == "xmlns" else k[6:]): v for k, v in attrs.items()
             if k == "xmlns" or k.startswith("xmlns:")}
    prefix = name.split(":")[0] if ":" in name else ""
    if prefix and prefix not in decls:
        return "bad-namespace-prefix"
    if name.split(":")[-1] != "stream" or decls.get(prefix) != NS_STREAMS:
        return "invalid-namespace"
    if decls.get("") != NS_CLIENT:
        return "invalid-namespace"
    m = re.fullmatch(r"0*([0-9]{1,4})\.0*([0-9]{1,4})", attrs.get("version", ""))
    if not m or int(m.group(1)) != 1:
        return "unsupported-version"
    return None


def stream_error_condition(el):
    for child in el.children:
        if child.ns == NS_STREAM_ERRORS and child.local in CONDITIONS and child.local != "text":
            return child.local
    return "undefined-condition"


def send(text):
    return {"type": "send-bytes", "text": text}


class StreamMachine:
    """What both roles share: the step dispatch, refusing, and the reader."""

    KNOWN_CONFIG = set()

    def __init__(self, config, _faults):
        unknown = set(config) - self.KNOWN_CONFIG
        if unknown:
            raise Unsupported(f"configuration {sorted(unknown)} (only the first stream is implemented)")
        self.config = config
        self.reader = StreamReader()
        self.tls = False

    def step(self, step_input):
        if self.phase in ("failed", "closed"):
            return []
        if "peer" in step_input or "peerHex" in step_input:
            data = (step_input["peer"].encode("utf-8") if "peer" in step_input
                    else bytes.fromhex(step_input["peerHex"]))
            out = []
            for event in self.reader.feed(data):
                if self.phase == "failed":
                    break
                if event[0] == "close":
                    raise Unsupported(f"the peer closed the stream in phase {self.phase}")
                out += self.on_header(*event[1:]) if event[0] == "header" else self.on_element(event[1])
            return out
        if "tls" in step_input:
            return self.on_tls()
        if "input" in step_input and step_input["input"].get("type") == "start":
            return self.on_start()
        raise Unsupported(f"step {sorted(step_input)} in phase {self.phase}")

    def refuse(self, code, condition):
        self.phase = "failed"
        error = f"<stream:error><{condition} xmlns='{NS_STREAM_ERRORS}'/></stream:error>"
        return [send(error + "</stream:stream>"),
                {"type": "error", "code": code}, {"type": "closed", "clean": False}]

    def peer_error(self, el):
        self.phase = "failed"
        return [send("</stream:stream>"), {"type": "error", "code": f"xmpp/{stream_error_condition(el)}"},
                {"type": "closed", "clean": False}]

    def on_start(self):
        raise Unsupported(f"start in phase {self.phase}")

    def on_tls(self):
        raise Unsupported(f"TLS completion in phase {self.phase}")


class Initiator(StreamMachine):
    KNOWN_CONFIG = {"seed", "jid", "password", "resource"}
    phase = "initial"

    def domain(self):
        return self.config["jid"].split("@")[-1].split("/")[0].lower()

    def on_tls(self):
        if self.phase != "initial" or self.tls:
            raise Unsupported(f"TLS completion in phase {self.phase}")
        self.tls = True  # direct TLS (XEP-0368): the first stream is already encrypted
        return []

    def on_start(self):
        if self.phase != "initial":
            raise Unsupported(f"start in phase {self.phase}")
        self.phase = "awaiting-header"
        return [send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                     f"xmlns:stream='{NS_STREAMS}' to='{self.domain()}' from='{self.config['jid']}' "
                     "version='1.0' xml:lang='en'>")]

    def on_header(self, name, attrs):
        if self.phase != "awaiting-header":
            raise Unsupported(f"stream header in phase {self.phase}")
        condition = check_header(name, attrs)
        if condition:
            return self.refuse(f"xmpp/{condition}", condition)
        if not attrs.get("id"):
            return self.refuse("xmpp/invalid-stream-header", "bad-format")
        if "from" in attrs and attrs["from"].lower() != self.domain():
            return self.refuse("xmpp/wrong-peer-domain", "invalid-from")
        self.phase = "awaiting-features"
        return []

    def on_element(self, el):
        if el.ns == NS_STREAMS and el.local == "error":
            return self.peer_error(el)
        if self.phase == "awaiting-features":
            if not (el.ns == NS_STREAMS and el.local == "features"):
                return self.refuse("xmpp/unexpected-element", "bad-format")
            starttls = any(c.ns == NS_TLS and c.local == "starttls" for c in el.children)
            if self.tls:
                if starttls:
                    return self.refuse("xmpp/tls-downgrade", "policy-violation")
                raise Unsupported("SASL negotiation (not implemented by this example)")
            if not starttls:
                return self.refuse("xmpp/starttls-required", "policy-violation")
            self.phase = "starttls-requested"
            return [send(f"<starttls xmlns='{NS_TLS}'/>")]
        if self.phase == "starttls-requested":
            if el.ns == NS_TLS and el.local == "failure":
                return self.refuse("xmpp/tls-failed", "undefined-condition")
            if el.ns == NS_TLS and el.local == "proceed":
                raise Unsupported("the TLS handshake and what follows it")
            return self.refuse("xmpp/unexpected-element", "bad-format")
        raise Unsupported(f"element in phase {self.phase}")


class Receiver(StreamMachine):
    KNOWN_CONFIG = {"seed", "domain", "users"}
    phase = "awaiting-header"

    def on_tls(self):
        if self.phase == "awaiting-header" and not self.tls:
            self.tls = True  # direct TLS before the first header
            return []
        if self.phase == "awaiting-starttls":
            # TLS cannot complete before the client asked for it: refused, the stream stays.
            return [{"type": "error", "code": "xmpp/invalid-input"}]
        raise Unsupported(f"TLS completion in phase {self.phase}")

    def on_header(self, name, attrs):
        condition = check_header(name, attrs)
        if condition:
            return self.refuse(f"xmpp/{condition}", condition)
        if attrs.get("to", "").lower() != self.config["domain"].lower():
            return self.refuse("xmpp/host-unknown", "host-unknown")
        header = ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                  f"xmlns:stream='{NS_STREAMS}' from='{self.config['domain']}' version='1.0'>")
        if self.tls:
            self.phase = "awaiting-auth"
            return [send(header + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                         "<mechanism>SCRAM-SHA-256</mechanism></mechanisms></stream:features>")]
        self.phase = "awaiting-starttls"
        return [send(header + f"<stream:features><starttls xmlns='{NS_TLS}'><required/></starttls>"
                     "</stream:features>")]

    def on_element(self, el):
        if el.ns == NS_STREAMS and el.local == "error":
            return self.peer_error(el)
        is_starttls = el.ns == NS_TLS and el.local == "starttls"
        if self.phase == "awaiting-starttls":
            if is_starttls:
                raise Unsupported("the TLS handshake and what follows it")
            return self.refuse("xmpp/starttls-required", "policy-violation")
        if self.phase == "awaiting-auth" and is_starttls:
            return self.refuse("xmpp/unexpected-element", "policy-violation")
        raise Unsupported(f"element in phase {self.phase} (SASL is not implemented by this example)")
