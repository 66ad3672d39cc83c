/**
 * Sessions against a real Prosody over time: a contact's abrupt loss seen as
 * presence unavailable (the delay is printed, never asserted), and XEP-0198
 * resumption across a dropped connection with the client's reconnect (an iq
 * request open across it is still answered).
 */
import assert from "node:assert/strict";
import { Element } from "ltx";
import type { Xel } from "../../state-machines/xmpp-stream/messages.ts";
import { message, XmppClient } from "../../adapters/xmpp_client.ts";
import { clientOptions, within, withServer } from "./adapter_helpers.ts";

const bareOf = (jid: string | undefined) => (jid ?? "").split("/")[0];
const ECHO_NS = "urn:derlink:test:echo";
const presence = () => new Element("presence") as Xel;

/** Both send initial presence; resolves once each has seen the other available. */
async function seeEachOther(a: XmppClient, b: XmppClient): Promise<void> {
  const aSeen = b.once("presence", (p) => p.attrs.from === a.jid && p.attrs.type === undefined);
  const bSeen = a.once("presence", (p) => p.attrs.from === b.jid && p.attrs.type === undefined);
  a.send(presence());
  b.send(presence());
  await within(Promise.all([aSeen, bSeen]), 5_000, "mutual available presence");
}

Deno.test("DL-ADAPTER-1: a contact's abrupt TCP loss reaches the other client as presence unavailable", async () => {
  await withServer(async (server) => {
    const a = await XmppClient.connect(clientOptions(server, 0));
    const b = await XmppClient.connect(clientOptions(server, 1));
    try {
      await seeEachOther(a, b);
      const gone = b.once(
        "presence",
        (p) => p.attrs.from === a.jid && p.attrs.type === "unavailable",
      );
      const aClosed = a.once("closed");
      const t0 = performance.now();
      a.dropConnection(); // no </stream:stream>: the socket just goes
      await within(gone, 10_000, "presence unavailable at b");
      const delay = performance.now() - t0;
      console.log(
        `presence unavailable after an abrupt TCP close (FIN, no stream close): ${
          delay.toFixed(2)
        } ms`,
      );
      const end = await within(aClosed, 5_000, "a closed");
      assert.equal(end.clean, false);
      assert.equal(end.error?.code, "xmpp/transport-closed");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

Deno.test("DL-ADAPTER-7 DL-ADAPTER-6 XEP0198-5.continue PD-106: after a dropped connection the client reconnects and resumes; queued stanzas arrive both ways and an iq answered meanwhile settles", async () => {
  await withServer(async (server) => {
    const a = await XmppClient.connect(clientOptions(server, 0, {
      machine: { streamManagement: { resume: true } },
      reconnect: { maxAttempts: 5, baseMs: 300, maxMs: 2_000 },
    }));
    const b = await XmppClient.connect(clientOptions(server, 1));
    try {
      await seeEachOther(a, b);
      const firstJid = a.jid;
      const token = () => a.connection?.driver.state.session?.sm;
      assert.equal(token()?.status, "enabled", "Prosody enabled stream management");
      assert.ok(token()?.resumable, "Prosody offered resumption");

      const bSeesUnavailable: Xel[] = [];
      b.on("presence", (p) => {
        if (bareOf(p.attrs.from) === bareOf(firstJid) && p.attrs.type === "unavailable") {
          bSeesUnavailable.push(p);
        }
      });
      const atB: string[] = [];
      b.on("message", (m) => atB.push(m.getChildText("body") ?? ""));
      const atA: string[] = [];
      a.on("message", (m) => atA.push(m.getChildText("body") ?? ""));

      // An iq from a to b that b answers only while a is away (PD-106).
      const held: Xel[] = [];
      const offIq = b.on("iq", (req) => void held.push(req));
      const asked = a.iq(
        new Element("iq", { type: "get", to: b.jid }).c("query", { xmlns: ECHO_NS }).root() as Xel,
        { timeoutMs: 15_000 },
      );
      await within(
        (async () => {
          while (held.length === 0) await new Promise((r) => setTimeout(r, 10));
        })(),
        5_000,
        "iq request at b",
      );
      offIq();

      const resumed = a.once("established");
      const t0 = performance.now();
      // Queued by the machine, then the socket is cut before the write happens.
      a.send(message(b.jid, "sent as the link died"));
      a.dropConnection();
      b.send(message(firstJid, "sent while a was away"));
      b.send(
        new Element("iq", { type: "result", id: held[0].attrs.id, to: held[0].attrs.from })
          .c("query", { xmlns: ECHO_NS, answered: "while a was away" }).root() as Xel,
      );
      const est = await within(resumed, 10_000, "a re-established");
      console.log(`resumed after ${(performance.now() - t0).toFixed(0)} ms (backoff included)`);
      assert.equal(est.resumed, true, "the session was resumed, not bound afresh");
      assert.equal(a.jid, firstJid);

      await within(
        (async () => {
          while (!atA.includes("sent while a was away") || !atB.includes("sent as the link died")) {
            await new Promise((r) => setTimeout(r, 20));
          }
        })(),
        5_000,
        "both stanzas after resumption",
      );
      assert.deepEqual(atB.filter((t) => t === "sent as the link died").length, 1);
      assert.deepEqual(atA.filter((t) => t === "sent while a was away").length, 1);
      assert.equal(bSeesUnavailable.length, 0, "a hibernating session stays available");
      // XEP-0198 §5: the session went on, so the response was matched to the request.
      const answer = await within(asked, 5_000, "iq response after resumption");
      assert.equal(answer.attrs.from, b.jid);
      assert.equal(
        answer.children.find((c): c is Xel => typeof c === "object")?.attrs.answered,
        "while a was away",
      );
      // The resumed stream works as before.
      const again = b.once("message", (m) => m.getChildText("body") === "after resume");
      a.send(message(b.jid, "after resume"));
      await within(again, 5_000, "message after resume");
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

Deno.test("DL-ADAPTER-5: the machine's XEP-0199 pings, carried by the adapter's timers, are answered by Prosody", async () => {
  await withServer(async (server) => {
    const a = await XmppClient.connect(clientOptions(server, 0, {
      machine: { ping: { intervalMs: 40, timeoutMs: 2_000 } },
    }));
    try {
      // nextAt moves only when a pong arrives: four moves are four answered pings.
      const nextAt = () => a.connection!.driver.state.session?.ping?.nextAt ?? 0;
      const first = nextAt();
      await within(
        (async () => {
          while (nextAt() < first + 4 * 40) await new Promise((r) => setTimeout(r, 20));
        })(),
        5_000,
        "four ping intervals",
      );
      assert.equal(a.connection!.driver.state.phase, "bound");
    } finally {
      await a.close();
    }
  });
});
