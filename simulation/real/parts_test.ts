/**
 * Unit tests of the fleet driver's pure parts: the iq id mux (PD-215), the
 * distribution summary, the groups file and the accounts plugin (quoting),
 * the cut selection, and the wall clock's arithmetic. The driver against a
 * real server is tested in tests/interop/fleet_*_test.ts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Element } from "ltx";
import { parseElement } from "../../core/xml.ts";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { spreadIndices } from "./fleet.ts";
import { IqIdMux } from "./iq_mux.ts";
import { bulkAccountsPlugin, rosterGroupsFile } from "./prosody_setup.ts";
import { distribution, quantile } from "./stats.ts";
import { WallClock } from "./wall_clock.ts";

const xel = (text: string) => parseElement(text) as unknown as Xel;

Deno.test("PD-215: the mux gives each iq request a unique id and restores it on the answer from the same address", () => {
  // spec: PD-215
  const mux = new IqIdMux("cc");
  const a = mux.outbound(
    new Element("iq", { to: "der1@d/x", type: "set", id: "h1" }).c("q").root(),
  );
  const b = mux.outbound(
    new Element("iq", { to: "der2@d/x", type: "set", id: "h1" }).c("q").root(),
  );
  assert.equal(a.attrs.id, "cc1");
  assert.equal(b.attrs.id, "cc2");
  assert.equal(mux.inFlight, 2);
  // Messages, presence and iq answers we send keep their ids.
  const m = new Element("message", { to: "der1@d/x", id: "m7" });
  assert.equal(mux.outbound(m).attrs.id, "m7");
  const r = new Element("iq", { to: "der1@d/x", type: "result", id: "h9" });
  assert.equal(mux.outbound(r).attrs.id, "h9");
  // An answer from another address than the request went to is left alone (and keeps the entry).
  const spoof = mux.inbound(xel(`<iq from="der3@d/x" type="result" id="cc1"/>`));
  assert.equal(spoof.attrs.id, "cc1");
  assert.equal(mux.inbound(xel(`<iq from="der1@d/x" type="result" id="cc1"/>`)).attrs.id, "h1");
  assert.equal(mux.inbound(xel(`<iq from="der2@d/x" type="error" id="cc2"/>`)).attrs.id, "h1");
  // Once answered, the id is forgotten: a second answer is not restored.
  assert.equal(mux.inbound(xel(`<iq from="der1@d/x" type="result" id="cc1"/>`)).attrs.id, "cc1");
  assert.equal(mux.inFlight, 0);
});

Deno.test("PD-215: the mux forgets the oldest requests beyond its limit", () => {
  const mux = new IqIdMux("x", 2);
  for (const to of ["a@d/r", "b@d/r", "c@d/r"]) {
    mux.outbound(new Element("iq", { to, type: "get", id: "p" }).c("ping").root());
  }
  assert.equal(mux.inFlight, 2);
  assert.equal(mux.inbound(xel(`<iq from="a@d/r" type="result" id="x1"/>`)).attrs.id, "x1");
  assert.equal(mux.inbound(xel(`<iq from="c@d/r" type="result" id="x3"/>`)).attrs.id, "p");
});

Deno.test("distribution: min, interpolated median and p90, max", () => {
  const d = distribution([5, 1, 3, 2, 4, 10, 6, 7, 8, 9]);
  assert.deepEqual(d, { n: 10, min: 1, median: 5.5, p90: 9.1, max: 10 });
  assert.equal(distribution([]).n, 0);
  assert.ok(Number.isNaN(distribution([]).median));
  fc.assert(
    fc.property(
      fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }),
      (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const d = distribution(xs);
        return d.min <= d.median && d.median <= d.p90 && d.p90 <= d.max && quantile(s, 0) === d.min;
      },
    ),
  );
});

Deno.test("PD-216: the groups file puts each group's members together; names are checked", () => {
  // spec: PD-216
  assert.equal(
    rosterGroupsFile("grid.example", { "cc-der1": ["cc", "der1"], "cc-der2": ["cc", "der2"] }),
    "[cc-der1]\ncc@grid.example=cc\nder1@grid.example=der1\n" +
      "[cc-der2]\ncc@grid.example=cc\nder2@grid.example=der2\n",
  );
  assert.throws(() => rosterGroupsFile("d", { "a]b": ["x"] }), /group name/);
  assert.throws(() => rosterGroupsFile("d", { g: ["x@y"] }), /localpart/);
});

Deno.test("DL-FLEET-1: the accounts plugin quotes every name and password as a Lua string", () => {
  // spec: DL-FLEET-1
  const p = bulkAccountsPlugin([{ username: "der1", password: 'pa"ss\nword\\' }]);
  assert.equal(p.name, "derlink_bulk_accounts");
  assert.ok(p.source.includes(`{ "der1", "pa\\"ss\\010word\\\\" },`));
  assert.match(p.source, /hook_global\("server-started", function\(\)/);
  assert.match(p.source, /end, 100\);/);
});

Deno.test("DL-FLEET-2: the cut DERs are spread over the fleet, each once", () => {
  assert.deepEqual(spreadIndices(200, 10), [10, 30, 50, 70, 90, 110, 130, 150, 170, 190]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), (n, k0) => {
      const k = Math.min(k0, n);
      const ix = spreadIndices(n, k);
      return new Set(ix).size === k && ix.every((i) => i >= 0 && i < n);
    }),
  );
});

Deno.test("wall clock: starts at the scenario's start, scaled, whole milliseconds", () => {
  const c = new WallClock(1_000_000.7, 10);
  assert.equal(c.start, 1_000_000);
  assert.ok(Number.isInteger(c.now) && c.now >= 1_000_000);
  assert.ok(c.wallMsUntil(c.now + 1_000) <= 100);
  assert.equal(c.wallMsUntil(0), 0);
  assert.throws(() => new WallClock(0, 0), /scale/);
  const t = c.at(c.now + 60_000, () => assert.fail("cancelled timer fired"));
  t.cancel();
  c.cancelAll();
});
