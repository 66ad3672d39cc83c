/**
 * Structural mutations shared by requests and responses: every attribute of
 * the ClearToken removed, unknown attributes and elements added, namespaces
 * and names changed, fields that are not canonical, counts out of bounds.
 * None is re-signed: decoding must refuse each before any signature check.
 *
 * @module
 */
import { AProfileError as E } from "../errors.ts";
import { NS, type XmlElement } from "../xml.ts";
import type { JsonStep } from "../replay.ts";
import { type Case, expectCode } from "./case.ts";
import { all, at, edit, parse, setText } from "./tools.ts";
import { el } from "../xml.ts";

const spec = ["PD-85"];

export function structureCases(
  root: XmlElement,
  what: "request" | "response",
  steps: (xml: string) => JsonStep[],
): Case[] {
  const out: Case[] = [];
  const add = (comment: string, xml: string, code: string) =>
    out.push({
      comment: `${what}: ${comment}`,
      flags: ["Structure"],
      spec,
      expect: expectCode(code),
      steps: steps(xml),
    });
  const tok = (e: XmlElement) => at(e, "clear-token");
  const change = (f: (e: XmlElement) => void) => edit(root, f);

  for (const name of Object.keys(tok(root).attrs)) {
    add(
      `clear-token attribute ${name} removed`,
      change((e) => delete tok(e).attrs[name]),
      E.malformed,
    );
  }
  add("unknown attribute on the root", change((e) => e.attrs.extra = "1"), E["unknown-element"]);
  add(
    "unknown attribute on clear-token",
    change((e) => tok(e).attrs.extra = "1"),
    E["unknown-element"],
  );
  add(
    "unknown attribute on signature",
    change((e) => at(e, "signature").attrs.alg = "x"),
    E["unknown-element"],
  );
  add(
    "unknown attribute on a certificate",
    change((e) => at(e, "clear-token", "certificate").attrs.format = "der"),
    E["unknown-element"],
  );
  add(
    "unknown element inside clear-token",
    change((e) => tok(e).children.push(el("extension"))),
    E["unknown-element"],
  );
  add(
    "unknown element inside the root",
    change((e) => e.children.push(el("extension"))),
    E["unknown-element"],
  );
  add(
    "element of another namespace inside clear-token",
    change((e) => tok(e).children.push(el("x", { xmlns: "urn:other" }))),
    E["unknown-element"],
  );
  add(
    "element inside a certificate",
    change((e) => at(e, "clear-token", "certificate").children.push(el("x"))),
    E["unknown-element"],
  );
  add(
    "root in another namespace",
    change((e) => e.attrs.xmlns = "urn:other"),
    E["unknown-element"],
  );
  add(
    "root renamed",
    root.toString().replace(`<${what} `, "<associate ").replace(`</${what}>`, "</associate>"),
    E["unknown-element"],
  );
  add(
    "root with a namespace prefix",
    root.toString().replace(`<${what} xmlns=`, `<a:${what} xmlns:a=`).replace(
      `</${what}>`,
      `</a:${what}>`,
    ),
    E["unknown-element"],
  );
  add("version 1", change((e) => tok(e).attrs.version = "1"), E["unsupported-version"]);
  add("version with a leading zero", change((e) => tok(e).attrs.version = "00"), E.malformed);
  add(
    "signature twice",
    change((e) => e.children.push(parse(at(e, "signature").toString()))),
    E.malformed,
  );
  add(
    "signature missing",
    change((e) => e.children.splice(e.children.indexOf(at(e, "signature")), 1)),
    E.malformed,
  );
  add("signature before clear-token", change((e) => e.children.reverse()), E.malformed);
  add("empty signature", change((e) => setText(at(e, "signature"), "")), E.malformed);
  add("text inside clear-token", change((e) => tok(e).children.push("hello")), E.malformed);
  add(
    "nonce base64 not canonical (padding bits set)",
    change((e) => {
      const n = tok(e).attrs.nonce!;
      const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      tok(e).attrs.nonce = n.slice(0, -2) + abc[(abc.indexOf(n.at(-2)!) & ~3) | 1] + "=";
    }),
    E.malformed,
  );
  add(
    "nonce of 31 bytes",
    change((e) => tok(e).attrs.nonce = "A".repeat(40) + "AA=="),
    E.malformed,
  );
  add("nonce not base64", change((e) => tok(e).attrs.nonce = "*".repeat(44)), E.malformed);
  add(
    "time with a leading zero",
    change((e) => tok(e).attrs.time = "0" + tok(e).attrs.time),
    E.malformed,
  );
  add("negative time", change((e) => tok(e).attrs.time = "-1"), E.malformed);
  add("time beyond 2^53", change((e) => tok(e).attrs.time = "9007199254740993"), E.malformed);
  add(
    "association id in upper case",
    change((e) =>
      tok(e).attrs.association = tok(e).attrs.association!.toUpperCase().replace(/^[0-9]/, "A")
    ),
    E.malformed,
  );
  add(
    "association id of 15 bytes",
    change((e) => tok(e).attrs.association = tok(e).attrs.association!.slice(2)),
    E.malformed,
  );
  add(
    "unknown signature algorithm",
    change((e) => tok(e).attrs["signature-algorithm"] = "rsa-pkcs1-sha256"),
    E.malformed,
  );
  add(
    "empty certificate",
    change((e) => setText(at(e, "clear-token", "certificate"), "")),
    E.malformed,
  );
  add(
    "nine certificates",
    change((e) => {
      const c = at(e, "clear-token", "certificate");
      for (let i = 0; i < 8; i++) tok(e).children.push(parse(c.toString()));
    }),
    E.malformed,
  );
  add(
    "no certificate",
    change((e) => {
      for (const c of all(tok(e), "certificate")) {
        tok(e).children.splice(tok(e).children.indexOf(c), 1);
      }
    }),
    E.malformed,
  );
  if (what === "request") {
    add(
      "no offer",
      change((e) =>
        tok(e).children.splice(tok(e).children.indexOf(at(e, "clear-token", "offer")), 1)
      ),
      E.malformed,
    );
    add(
      "the same suite offered twice",
      change((e) => tok(e).children.unshift(parse(at(e, "clear-token", "offer").toString()))),
      E.malformed,
    );
    add(
      "unknown suite offered",
      change((e) => at(e, "clear-token", "offer").attrs.suite = "rsa2048"),
      E.malformed,
    );
    add(
      "unknown mode offered",
      change((e) => at(e, "clear-token", "mode").attrs.name = "aes-128-cbc"),
      E.malformed,
    );
    add("certificate before the offers", change((e) => tok(e).children.reverse()), E.malformed);
    add(
      "key share of the wrong length",
      change((e) => at(e, "clear-token", "offer").attrs.key = "AAAA"),
      E.malformed,
    );
    add("responder JID empty", change((e) => tok(e).attrs.responder = ""), E.malformed);
  } else {
    add("unknown suite chosen", change((e) => tok(e).attrs.suite = "rsa2048"), E.malformed);
    add("unknown mode chosen", change((e) => tok(e).attrs.mode = "aes-128-cbc"), E.malformed);
    add("key share of the wrong length", change((e) => tok(e).attrs.key = "AAAA"), E.malformed);
    add("echo of 16 bytes", change((e) => tok(e).attrs.echo = "A".repeat(22) + "=="), E.malformed);
  }
  if (root.getNS() !== NS) throw new Error("fixture element outside the profile namespace");
  return out;
}
