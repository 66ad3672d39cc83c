/**
 * Unit tests of the IUT protocol pieces: the message schema, the server
 * loop's answers to malformed requests, reply unwrapping, command splitting,
 * order-independent comparison, and a backend that cannot be started.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CoreError } from "../../core/errors.ts";
import { IutBroken, IutUnsupported, protocolChecker, stableJson } from "./backend.ts";
import { bindingBackend, BindingServer, combineBindings, unwrapReply } from "./bindings.ts";
import { protocolProblem } from "./protocol.ts";
import { answerLine } from "./serve.ts";
import { splitCommand } from "./stdio_iut.ts";
import { StdioBackend } from "./stdio.ts";
import { python3 } from "./testing.ts";
import { SeededEntropy } from "../../core/entropy.ts";
import { toHex } from "../../core/bytes.ts";
import { loadVectorFile } from "../../core/vectors.ts";
import { bytes } from "../bindings/args.ts";
import { clientConfig, serverConfig } from "../suites/sasl.ts";

const echo = combineBindings("echo", [{
  functions: {
    "t.echo": (a) => a,
    "t.refuse": () => {
      throw new IutUnsupported("not this one");
    },
  },
  machines: {
    "t.counter": () => {
      let n = 0;
      return {
        reply: { out: [], phase: "zero" },
        session: { step: () => ({ out: [{ n: ++n }], phase: "counting" }) },
      };
    },
  },
}]);

Deno.test("DL-IUT-3 DL-IUT-9: the schema takes well-formed messages and names what is wrong with others", () => {
  assert.equal(
    protocolProblem("request", { id: 0, op: "hello", protocol: 1, runner: "r" }),
    undefined,
  );
  assert.equal(
    protocolProblem("request", { id: 3, op: "call", fn: "jid.parse", args: { text: "a@b" } }),
    undefined,
  );
  assert.equal(protocolProblem("reply", { id: 3, result: { canonical: "a@b" } }), undefined);
  assert.equal(
    protocolProblem("reply", { id: 4, out: [], phase: "initial", edges: ["a --x--> b"] }),
    undefined,
  );
  assert.equal(
    protocolProblem("reply", { id: 5, error: { code: "sasl/nonce-mismatch" } }),
    undefined,
  );
  assert.equal(protocolProblem("reply", { id: 6, unsupported: "machine x" }), undefined);
  for (
    const bad of [
      { id: 1, out: "not a list", phase: "x" },
      { id: 1, out: [], phase: "" },
      { id: -1, result: {} },
      { id: 1, error: { code: "Not A Code" } },
      { id: 1, result: {}, extra: true },
      { out: [], phase: "x" },
      { id: 1, hello: { name: "x", protocol: 1, functions: ["Bad Name"], machines: [] } },
      "a string",
    ]
  ) {
    assert.ok(protocolProblem("reply", bad), JSON.stringify(bad));
  }
  assert.ok(protocolProblem("request", { id: 1, op: "step" }));
  assert.ok(protocolProblem("request", { id: 1, op: "frobnicate" }));
});

Deno.test("DL-IUT-1 PD-165: the server loop answers each line, malformed ones with core/invalid-argument", async () => {
  const server = new BindingServer(echo);
  const ask = async (line: string) => (await answerLine(server, line)).reply;
  assert.deepEqual(await ask("{nope"), {
    id: 0,
    error: { code: CoreError["invalid-argument"], detail: "not JSON" },
  });
  const wrong = await ask(JSON.stringify({ id: 7, op: "call", fn: "t.echo" }));
  assert.equal(wrong.id, 7);
  assert.ok("error" in wrong && wrong.error.code === "core/invalid-argument");
  assert.deepEqual(await ask(JSON.stringify({ id: 8, op: "step", input: {} })), {
    id: 8,
    error: { code: "core/invalid-argument", detail: "step without a session" },
  });
  assert.deepEqual(
    await ask(JSON.stringify({ id: 9, op: "init", machine: "t.counter", config: {} })),
    {
      id: 9,
      out: [],
      phase: "zero",
    },
  );
  assert.deepEqual(await ask(JSON.stringify({ id: 10, op: "step", input: {} })), {
    id: 10,
    out: [{ n: 1 }],
    phase: "counting",
  });
  assert.deepEqual(
    await ask(JSON.stringify({ id: 11, op: "init", machine: "t.nothing", config: {} })),
    {
      id: 11,
      unsupported: "machine t.nothing",
    },
  );
  assert.deepEqual(await ask(JSON.stringify({ id: 12, op: "call", fn: "t.refuse", args: {} })), {
    id: 12,
    unsupported: "not this one",
  });
  const bye = await answerLine(server, JSON.stringify({ id: 13, op: "bye" }));
  assert.deepEqual(bye, { reply: { id: 13, bye: true }, bye: true });
});

Deno.test("PD-166: an error reply is a refusal for a call, a broken IUT for init and step", () => {
  assert.deepEqual(unwrapReply("call", { id: 1, error: { code: "jid/empty", detail: "d" } }), {
    ok: false,
    code: "jid/empty",
    detail: "d",
  });
  assert.throws(
    () => unwrapReply("step", { id: 1, error: { code: "core/internal", detail: "boom" } }),
    (e) =>
      e instanceof IutBroken &&
      /refused the step request with core\/internal: boom/.test(e.message),
  );
  assert.throws(() => unwrapReply("init", { id: 1, unsupported: "x" }), IutUnsupported);
});

Deno.test("DL-IUT-6: a group needing what the IUT did not declare is not applicable; IutBroken fails the case", async () => {
  const iut = bindingBackend(echo);
  const group = { type: "g", tests: [] };
  const file = { path: "x.json" } as never;
  const test = { tcId: 1, comment: "", flags: [], spec: [], result: "valid" } as const;
  const missing = protocolChecker(iut, "g", () => ({ machines: ["t.other"] }), () => {
    throw new Error("must not run");
  });
  assert.deepEqual(await missing.check(test, group, file), {
    verdict: "not-applicable",
    message: "the IUT does not implement machine t.other",
  });
  const broken = protocolChecker(iut, "g", () => ({ functions: ["t.echo"] }), () => {
    throw new IutBroken("it died");
  });
  assert.deepEqual(await broken.check(test, group, file), { verdict: "fail", message: "it died" });
});

Deno.test("PD-166: outputs compare whatever the key order", () => {
  assert.equal(
    stableJson({ b: 1, a: [{ d: 2, c: 3 }] }),
    stableJson({ a: [{ c: 3, d: 2 }], b: 1 }),
  );
  assert.notEqual(stableJson([1, 2]), stableJson([2, 1]));
});

Deno.test("--iut command lines split like a shell's words, without a shell", () => {
  assert.deepEqual(splitCommand("python3  my_iut.py --x 1"), ["python3", "my_iut.py", "--x", "1"]);
  assert.deepEqual(splitCommand(`sh -c 'echo "a b"' "c \\"d\\"" e\\ f ''`), [
    "sh",
    "-c",
    'echo "a b"',
    'c "d"',
    "e f",
    "",
  ]);
  assert.throws(() => splitCommand("   "), /empty command/);
  assert.throws(() => splitCommand('a "b'), /unterminated double quote/);
});

Deno.test("DL-IUT-5 PD-167: after three failed starts in a row the backend stops trying", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "derlink-iut-" });
  try {
    // Answers hello once, dies at its first real request, then never starts again.
    const script = `${dir}/once.py`;
    Deno.writeTextFileSync(
      script,
      [
        "import json, os, sys",
        "marker = sys.argv[1]",
        "if os.path.exists(marker): sys.exit(5)",
        "open(marker, 'w').close()",
        "for line in sys.stdin:",
        "    r = json.loads(line)",
        "    if r['op'] != 'hello': sys.exit(4)",
        "    print(json.dumps({'id': r['id'], 'hello': {'name': 'once', 'protocol': 1,",
        "        'functions': ['t.echo'], 'machines': []}}), flush=True)",
      ].join("\n"),
    );
    const backend = new StdioBackend({ command: [await python3(), script, `${dir}/marker`] });
    await backend.start();
    const failures: string[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        await backend.call("t.echo", {});
      } catch (e) {
        assert.ok(e instanceof IutBroken);
        failures.push(e.message);
      }
    }
    assert.equal(failures.length, 5);
    assert.match(
      failures[0],
      /^the IUT exited with code 4 \(stderr empty\) during the call request/,
    );
    assert.match(failures[1], /^the IUT did not start: the IUT exited with code 5/);
    assert.match(failures[3], /^the IUT did not start: /);
    assert.match(failures[4], /^the IUT could not be started 3 times in a row; not trying again/);
    assert.equal(backend.starts, 4);
    await backend.close();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("DL-IUT-8: SCRAM configurations carry every nonce, salt, password and policy the case depends on", () => {
  const file = loadVectorFile("sasl/scram.json");
  const client = file.testGroups.find((g) => g.type === "scram-client")!;
  const c = clientConfig(client.tests[0], client);
  assert.equal(c.clientNonce, "fyko+d2lbbFgONRv9qkxdawL");
  assert.equal(c.password, "pencil");
  assert.deepEqual(c.policy, { minIterations: 4096, maxIterations: 600000 });
  const lowered = client.tests.find((t) =>
    (t.policy as { minIterations?: number })?.minIterations === 1
  )!;
  assert.equal(
    (clientConfig(lowered, client).policy as { minIterations: number }).minIterations,
    1,
  );
  const server = file.testGroups.find((g) => g.type === "scram-server")!;
  const s = serverConfig(server.tests[0], server);
  assert.equal(s.serverNonce, "3rfcNHYJY1ZVvWVs7j");
  assert.deepEqual(s.credentials, {
    username: "user",
    password: "pencil",
    salt: "QSXCR+Q6sek8bf92",
    iterations: 4096,
  });
});

Deno.test("DL-IUT-9: protocol byte fields are lowercase hex; anything else is refused with the field's name", () => {
  assert.deepEqual(bytes({ k: "00ff" }, "k"), new Uint8Array([0, 255]));
  for (const bad of ["00FF", "0", "zz", 12]) {
    assert.throws(() => bytes({ k: bad }, "k"), /k: expected (lowercase hex|a string)/);
  }
});

Deno.test("PD-169: the seeded generator gives the test value docs/conformance.md prints", () => {
  const text = Deno.readTextFileSync(new URL("../../docs/conformance.md", import.meta.url));
  const printed = /seed `"example"` gives first 32 bytes\s+`([0-9a-f]{64})`/.exec(text)?.[1];
  assert.equal(printed, toHex(new SeededEntropy("example").bytes(32)));
});
