/**
 * Generator of `vectors/disco/requester.json` and `vectors/disco/responder.json`
 * (run by `deno task vectors`): requester transcripts ending in one checked
 * input, most of them refusals of a response (unknown id, spoofed sender,
 * remote error, timeout, unknown namespace, malformed, oversize), and
 * responder cases (an entity and a request, the exact answer).
 *
 * @module
 */
import { DiscoError } from "./errors.ts";
import { DISCO_NS, logicalDeviceNode } from "./namespaces.ts";
import type { DiscoEntity } from "./responder.ts";
import {
  DER,
  DER_ENTITY,
  DOMAIN,
  DOMAIN_ENTITY,
  errorResponse,
  feature,
  GOOD_INFO,
  identity,
  item,
  request,
  response,
} from "./testing.ts";
import type { RequesterConfig } from "./types.ts";
import { type RequesterVectorInput as In, runRequester, runResponder } from "./vectors.ts";

const CONFIG: RequesterConfig = { timeoutMs: 5000, idPrefix: "d" };
const askInfo: In = { type: "query", kind: "info", to: DER, now: 1000 };
const askItems: In = { type: "query", kind: "items", to: DOMAIN, now: 1000 };
const askNode: In = {
  type: "query",
  kind: "info",
  to: DER,
  node: logicalDeviceNode("DER1PV"),
  now: 1000,
};
const x = (xml: string): In => ({ type: "stanza", xml });
/** The responder's real answer to a request from ME to `to`. */
const answerOf = (
  entity: DiscoEntity,
  kind: "info" | "items",
  id: string,
  node?: string,
  to = DER,
): In => x(runResponder(entity, request(kind, id, node, "get", to).toString())!);

interface Case {
  comment: string;
  flags: string[];
  spec: string[];
  config: RequesterConfig;
  inputs: In[];
  error?: string;
}

export function requesterCases(): Case[] {
  const cases: Case[] = [];
  const ok = (comment: string, spec: string[], inputs: In[], config = CONFIG) =>
    cases.push({ comment, flags: ["valid"], spec, config, inputs });
  const bad = (
    comment: string,
    flags: string[],
    spec: string[],
    inputs: In[],
    error: string,
    config = CONFIG,
  ) => cases.push({ comment, flags, spec, config, inputs, error });
  const info = (body: string[], id = "d-1", from = DER, extra = {}) =>
    x(response(id, from, DISCO_NS.info, body, extra));
  const items = (body: string[], id = "d-1", from = DOMAIN) =>
    x(response(id, from, DISCO_NS.items, body));

  ok("ask a DER for its info: iq get and a timer", ["XEP0030-3.1"], [askInfo]);
  ok("ask the domain for its items", ["XEP0030-4.1"], [askItems]);
  ok("ask a DER's logical device node", ["XEP0030-3.2", "PD-156"], [askNode]);
  ok("the DER's real answer becomes capabilities", ["XEP0030-3.1", "PD-155"], [
    askInfo,
    answerOf(DER_ENTITY, "info", "d-1"),
  ]);
  ok("the DER's logical devices as items", ["XEP0030-4.1", "PD-156"], [
    { type: "query", kind: "items", to: DER, now: 1000 },
    answerOf(DER_ENTITY, "items", "d-1"),
  ]);
  ok("a logical device node's info", ["XEP0030-3.2", "PD-156"], [
    askNode,
    answerOf(DER_ENTITY, "info", "d-1", logicalDeviceNode("DER1PV")),
  ]);
  ok("the domain's services as items", ["XEP0030-4.1", "PAPER-MAP5"], [
    askItems,
    answerOf(DOMAIN_ENTITY, "items", "d-1", undefined, DOMAIN),
  ]);
  ok("identities in two languages are two identities", ["XEP0030-3.1"], [
    askInfo,
    info([
      `<identity category="client" type="bot" xml:lang="en" name="DER"/>`,
      `<identity category="client" type="bot" xml:lang="de" name="DEA"/>`,
      feature(DISCO_NS.info),
    ]),
  ]);
  ok("an empty items list", ["XEP0030-4.1"], [askItems, items([])]);
  ok("time passes before the deadline", ["PD-156"], [askInfo, { type: "tick", now: 5999 }]);
  ok("a message is not a disco response", ["PD-156"], [
    askInfo,
    x(`<message from="${DER}"><body>hi</body></message>`),
  ]);
  ok("a request to us is not a response", ["PD-156"], [
    askInfo,
    x(`<iq type="get" id="d-1" from="${DER}"><query xmlns="${DISCO_NS.info}"/></iq>`),
  ]);

  // Refusals of a response.
  bad("response to an id never sent", ["unknown-id"], ["PD-156"], [
    askInfo,
    info(GOOD_INFO, "d-99"),
  ], DiscoError["unknown-id"]);
  bad("response without an id", ["unknown-id"], ["PD-156"], [
    askInfo,
    x(`<iq type="result" from="${DER}"><query xmlns="${DISCO_NS.info}"/></iq>`),
  ], DiscoError["unknown-id"]);
  bad("a second answer to a settled request", ["unknown-id"], ["PD-156"], [
    askInfo,
    info(GOOD_INFO),
    info(GOOD_INFO),
  ], DiscoError["unknown-id"]);
  bad("an answer after the timeout", ["unknown-id"], ["PD-156"], [
    askInfo,
    { type: "tick", now: 6000 },
    info(GOOD_INFO),
  ], DiscoError["unknown-id"]);
  for (
    const from of [
      "der2@derlink.test/ied",
      "der1@derlink.test",
      "der1@derlink.test/other",
      DOMAIN,
      "der1@evil.test/ied",
    ]
  ) {
    bad(`answer from ${from}, not the DER asked`, ["spoofed"], ["PD-156", "RFC6120-8.1.2.1"], [
      askInfo,
      info(GOOD_INFO, "d-1", from),
    ], DiscoError.spoofed);
  }
  bad("answer without a from", ["spoofed"], ["PD-156"], [
    askInfo,
    x(`<iq type="result" id="d-1"><query xmlns="${DISCO_NS.info}">${
      GOOD_INFO.join("")
    }</query></iq>`),
  ], DiscoError.spoofed);
  for (const cond of ["item-not-found", "service-unavailable", "feature-not-implemented"]) {
    bad(`the DER answers ${cond}`, ["remote-error"], ["XEP0030-3.1"], [
      askInfo,
      x(errorResponse("d-1", DER, cond)),
    ], DiscoError["remote-error"]);
  }
  bad("no answer by the deadline", ["timeout"], ["PD-156"], [
    askInfo,
    { type: "tick", now: 6000 },
  ], DiscoError.timeout);
  bad("result in an unknown namespace", ["namespace"], ["PD-156"], [
    askInfo,
    x(response("d-1", DER, "urn:example:other", GOOD_INFO)),
  ], DiscoError["unknown-namespace"]);
  bad("result without a query", ["namespace"], ["PD-156"], [
    askInfo,
    x(response("d-1", DER, null)),
  ], DiscoError["unknown-namespace"]);
  bad("items answer to an info request", ["namespace"], ["XEP0030-3.1"], [
    askInfo,
    x(response("d-1", DER, DISCO_NS.items, [item(DOMAIN)])),
  ], DiscoError["unknown-namespace"]);
  bad("info answer to an items request", ["namespace"], ["XEP0030-4.1"], [
    askItems,
    x(response("d-1", DOMAIN, DISCO_NS.info, GOOD_INFO)),
  ], DiscoError["unknown-namespace"]);
  bad("query without a namespace", ["namespace"], ["PD-156"], [
    askInfo,
    x(`<iq type="result" id="d-1" from="${DER}"><query/></iq>`),
  ], DiscoError["unknown-namespace"]);
  const malformed: [string, string[]][] = [
    ["no identity", [feature(DISCO_NS.info)]],
    ["identity without category", [`<identity type="bot"/>`, feature(DISCO_NS.info)]],
    ["identity without type", [`<identity category="client"/>`, feature(DISCO_NS.info)]],
    ["identity twice", [identity(), identity("client", "bot", "x"), feature(DISCO_NS.info)]],
    ["feature without var", [identity(), feature(DISCO_NS.info), `<feature/>`]],
    ["feature twice", [identity(), feature(DISCO_NS.info), feature(DISCO_NS.info)]],
    ["the disco#info feature missing", [identity(), feature("urn:derlink:association:0")]],
  ];
  for (const [what, body] of malformed) {
    bad(
      `info: ${what}`,
      ["malformed"],
      ["XEP0030-3.1", "PD-156"],
      [askInfo, info(body)],
      DiscoError.malformed,
    );
  }
  bad("items: an item without a jid", ["malformed"], ["XEP0030-4.1"], [
    askItems,
    items([`<item name="x"/>`]),
  ], DiscoError.malformed);
  bad("items: an item with an invalid jid", ["malformed"], ["XEP0030-4.1"], [
    askItems,
    items([item("a@b@c")]),
  ], DiscoError.malformed);
  bad("answer for another node", ["malformed"], ["XEP0030-3.2"], [
    askNode,
    info(GOOD_INFO, "d-1", DER, { node: "urn:derlink:ld:OTHER" }),
  ], DiscoError.malformed);
  bad("node answer to a request without node", ["malformed"], ["XEP0030-3.2"], [
    askInfo,
    info(GOOD_INFO, "d-1", DER, { node: "urn:derlink:ld:DER1PV" }),
  ], DiscoError.malformed);
  bad("33 identities", ["oversize"], ["PD-156"], [
    askInfo,
    info([
      ...Array.from({ length: 33 }, (_, i) => identity("client", `t${i}`)),
      feature(DISCO_NS.info),
    ]),
  ], DiscoError.oversize);
  bad("257 features", ["oversize"], ["PD-156"], [
    askInfo,
    info([
      identity(),
      ...Array.from({ length: 257 }, (_, i) => feature(`urn:f:${i}`)),
    ]),
  ], DiscoError.oversize);
  bad("a name of 1024 characters", ["oversize"], ["PD-156"], [
    askInfo,
    info([identity("client", "bot", "n".repeat(1024)), feature(DISCO_NS.info)]),
  ], DiscoError.oversize);
  bad(
    "more items than the configured limit",
    ["oversize"],
    ["PD-156"],
    [
      askItems,
      items(Array.from({ length: 9 }, (_, i) => item(`s${i}.${DOMAIN}`))),
    ],
    DiscoError.oversize,
    { ...CONFIG, limits: { items: 8 } },
  );

  // Refused inputs.
  bad("query to something that is not a JID", ["input"], ["PD-156"], [
    { type: "query", kind: "info", to: "a@b@c", now: 0 },
  ], DiscoError["invalid-request"]);
  bad("query of an unknown kind", ["input"], ["PD-156"], [
    { type: "query", kind: "list" as "info", to: DER, now: 0 },
  ], DiscoError["invalid-request"]);
  bad("query with an empty node", ["input"], ["XEP0030-3.2"], [
    { type: "query", kind: "info", to: DER, node: "", now: 0 },
  ], DiscoError["invalid-request"]);
  bad(
    "more requests than allowed in flight",
    ["input"],
    ["PD-156"],
    [askInfo, askItems, askInfo],
    DiscoError["too-many-pending"],
    { ...CONFIG, maxPending: 2 },
  );
  bad("an input the machine does not know", ["input"], ["DL-MACHINE-1"], [
    { type: "bogus" } as unknown as In,
  ], DiscoError["unexpected-input"]);
  return cases;
}

/** Responder cases: the exact answer to each request. */
export function responderCases() {
  const ld = logicalDeviceNode("DER1PV");
  const entities = { der: DER_ENTITY, domain: DOMAIN_ENTITY };
  const list: [string, "der" | "domain", string, string[]][] = [
    ["a DER's info: identity and derlink features", "der", request("info", "q1").toString(), [
      "XEP0030-3.1",
      "PD-155",
    ]],
    ["a DER's items: its logical devices", "der", request("items", "q2").toString(), [
      "XEP0030-4.1",
      "PD-156",
    ]],
    ["a logical device node's info", "der", request("info", "q3", ld).toString(), ["XEP0030-3.2"]],
    ["a logical device node's items (none)", "der", request("items", "q4", ld).toString(), [
      "XEP0030-4.2",
    ]],
    ["an unknown node: item-not-found", "der", request("info", "q5", "nope").toString(), [
      "XEP0030-3.2",
    ]],
    ["an unknown items node: item-not-found", "der", request("items", "q6", "nope").toString(), [
      "XEP0030-4.2",
    ]],
    [
      "a disco query as set: bad-request",
      "der",
      request("info", "q7", undefined, "set").toString(),
      [
        "XEP0030-3.1",
      ],
    ],
    ["a result is never answered", "der", request("info", "q8", undefined, "result").toString(), [
      "RFC6120-8.3.1",
    ]],
    [
      "another namespace is not disco's",
      "der",
      `<iq type="get" id="q9" from="vpp@derlink.test/cc"><query xmlns="jabber:iq:version"/></iq>`,
      ["XEP0030-3.1"],
    ],
    ["the domain's info", "domain", request("info", "q10", undefined, "get", DOMAIN).toString(), [
      "XEP0030-3.1",
      "PAPER-MAP5",
    ]],
    [
      "the domain's items: MUC, pubsub, key server",
      "domain",
      request("items", "q11", undefined, "get", DOMAIN).toString(),
      [
        "XEP0030-4.1",
        "PAPER-MAP5",
      ],
    ],
  ];
  return list.map(([comment, entity, requestXml, spec]) => ({
    comment,
    entity,
    requestXml,
    spec,
    answer: runResponder(entities[entity], requestXml),
  }));
}

const SOURCE =
  "generated by deno task vectors (state-machines/disco/vectorgen.ts); XEP-0030 §3.1-3.2, §4.1-4.2 as derlink profiles it (PD-155, PD-156)";

export function requesterVectorFile(): unknown {
  const tests = requesterCases().map((c, i) => {
    const run = runRequester(c.config, c.inputs);
    if (c.error && !run.last.some((o) => o.error === c.error)) {
      throw new Error(`disco vector "${c.comment}" does not end in ${c.error}`);
    }
    return {
      tcId: i + 1,
      comment: c.comment,
      flags: c.flags,
      spec: c.spec,
      result: c.error ? "invalid" : "valid",
      ...(c.error ? { error: c.error } : {}),
      config: c.config,
      inputs: c.inputs,
      phase: run.state.phase,
      outputs: run.last,
    };
  });
  return {
    suite: "disco.requester",
    schema: "disco.schema.json",
    version: 1,
    source: SOURCE,
    generated: true,
    notes: {
      valid: "a transcript the requester must follow exactly",
      "unknown-id": "a response to no request in flight",
      spoofed: "a response from another address than the one asked",
      "remote-error": "the entity answered with a stanza error",
      timeout: "no answer by the deadline",
      namespace: "a payload of another or no namespace",
      malformed: "a result lacking what XEP-0030 requires or repeating an entry",
      oversize: "a result beyond the requester's limits",
      input: "an input the requester refuses",
    },
    numberOfTests: tests.length,
    testGroups: [{ type: "disco-requester", tests }],
  };
}

export function responderVectorFile(): unknown {
  const tests = responderCases().map((c, i) => ({
    tcId: i + 1,
    comment: c.comment,
    flags: ["valid"],
    spec: c.spec,
    result: "valid",
    entity: c.entity,
    request: c.requestXml,
    answer: c.answer,
  }));
  return {
    suite: "disco.responder",
    schema: "disco.schema.json",
    version: 1,
    source: SOURCE,
    generated: true,
    notes: { valid: "the responder must answer exactly so (null: no answer)" },
    entities: { der: DER_ENTITY, domain: DOMAIN_ENTITY },
    numberOfTests: tests.length,
    testGroups: [{ type: "disco-responder", tests }],
  };
}

export const discoVectorGenerator = {
  name: "disco",
  generate: () => [
    { path: "disco/requester.json", content: requesterVectorFile() },
    { path: "disco/responder.json", content: responderVectorFile() },
  ],
};
