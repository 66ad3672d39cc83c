/**
 * Generator of `vectors/group-keying/registration.json`: transcripts that
 * drive the key server or the member machine step by step with real
 * certificates (core/pki, deterministic from a seed). Outgoing messages are
 * compared byte for byte, which assumes the documented use of the injected
 * entropy (docs/group-keying.md): the key server draws Nr then its ephemeral
 * key; the member draws Ni, then its ephemeral key.
 *
 * @module
 */
import { GROUP_ID, groupFixture, KS_JID } from "../testing.ts";
import { type Json, type TestCase, toJson } from "./common.ts";
import { DER1, DER2, INTRUDER, ksFields, SUITE_ID } from "./registration_common.ts";
import { keyServerTests } from "./registration_ks.ts";
import { memberTests } from "./registration_member.ts";

export function registrationGroups(): {
  type: string;
  fields: Record<string, Json>;
  tests: TestCase[];
}[] {
  const f = groupFixture({
    suite: SUITE_ID,
    jids: [DER1, DER2, INTRUDER],
    allowed: [DER1, DER2],
    seed: "registration",
  });
  const m = f.memberConfig(DER1);
  return [
    { type: "gdoi-ks-registration", fields: ksFields(f, "ks"), tests: keyServerTests(f, "ks") },
    {
      type: "gdoi-member-registration",
      fields: {
        member: toJson({
          suite: f.suite,
          jid: DER1,
          groupId: GROUP_ID,
          keyServerJid: KS_JID,
          chain: m.chain,
          privateKey: f.certs.get(DER1)!.cert.key.privateKey,
          anchors: m.anchors,
          crls: m.crls,
          seed: `registration/${DER1}`,
        }),
      },
      tests: memberTests(f, "ks"),
    },
  ];
}
