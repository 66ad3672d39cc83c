/**
 * Grammar cases of the per-message vectors: raw XML edits of an honest
 * message, each refused while decoding, before any signature check (PD-225).
 *
 * @module
 */
import { PerMessageError as E } from "../errors.ts";

/** [comment, edited XML, expected code] for each edit of `text`. */
export function structure(
  text: string,
  edit: (from: string | RegExp, to: string) => string,
  body: Uint8Array,
): [string, string, string][] {
  const cert = /<certificate>[^<]*<\/certificate>/.exec(text)![0];
  return [
    ["time attribute missing", edit(/ time="[0-9]+"/, ""), E.malformed],
    [
      "an attribute the format does not define",
      edit("<signed ", '<signed extra="1" '),
      E["unknown-element"],
    ],
    ["version 1", edit('v="0"', 'v="1"'), E["unsupported-version"]],
    [
      "another namespace",
      edit("urn:derlink:per-message:0", "urn:derlink:per-message:1"),
      E["unknown-element"],
    ],
    [
      "the A-profile's element name in this namespace",
      edit(/^<signed/, "<pdu").replace(/<\/signed>$/, "</pdu>"),
      E["unknown-element"],
    ],
    ["body not canonical base64", edit(/<body>[^<]*<\/body>/, "<body>AAA</body>"), E.malformed],
    [
      "a certificate after the body",
      edit(cert, "").replace("</body>", `</body>${cert}`),
      E.malformed,
    ],
    ["enc without epk", edit(/ epk="[^"]*"/, ""), E.malformed],
    ["text inside the element", edit("<body>", "x<body>"), E.malformed],
    ["an unknown child element", edit("<body>", "<note/><body>"), E["unknown-element"]],
    ["sender id of 7 bytes", edit(/ sid="([0-9a-f]{14})[0-9a-f]{2}"/, ' sid="$1"'), E.malformed],
    ["sequence number 0", edit(/ seq="[0-9]+"/, ' seq="0"'), E.malformed],
    ["sequence number with a leading zero", edit(/ seq="([0-9]+)"/, ' seq="0$1"'), E.malformed],
    ["an unknown signature algorithm", edit(/ alg="[^"]*"/, ' alg="rsa-sha1"'), E.malformed],
    ["an unknown kind", edit(' kind="data"', ' kind="other"'), E.malformed],
    ["nine certificates", edit(cert, cert.repeat(9)), E.malformed],
    ["no body", edit(/<body>[^<]*<\/body>/, ""), E.malformed],
    [
      "two bodies",
      edit("</body>", `</body><body>${btoa(String.fromCharCode(...body.slice(0, 3)))}</body>`),
      E.malformed,
    ],
  ];
}
