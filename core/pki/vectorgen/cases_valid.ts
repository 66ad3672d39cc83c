/**
 * Valid chains: the base chain, the same identity reached in other ways
 * (no intermediate, the root sent along, intermediates out of order, the
 * longest path allowed), boundaries of time, keys of another suite under
 * this suite's CAs, and policies that ask for more but are satisfied.
 *
 * @module
 */
import type { SuiteId } from "../../crypto/suite.ts";
import { EXTENDED_KEY_USAGE } from "../certificate.ts";
import { MAX_PATH_CERTIFICATES } from "../validate.ts";
import { DAY } from "./forge.ts";
import { EE_CN, EE_JID, type Fixture, NOW, ORG } from "./fixture.ts";

const OTHER: Record<SuiteId, SuiteId> = {
  "p256": "x25519-ed25519",
  "brainpool256": "p256",
  "x25519-ed25519": "brainpool256",
};

export function validCases(f: Fixture): void {
  const S = ["RFC5280-6.1", "RFC5280-6.1.3", "PAPER-M2"];
  f.valid({
    comment: "end entity and intermediate, CRLs of both CAs required",
    spec: [...S, "PAPER-M7"],
  });
  f.valid({
    comment: "root sent along after the intermediate",
    spec: S,
    chain: ["ee", "int", "root"],
  });
  f.valid({ comment: "no CRLs supplied and none required", spec: S, crls: [], requireCrl: false });
  f.valid({
    comment: "no expected JID: identity still extracted",
    spec: S,
    expectedJid: undefined,
  });
  f.valid({
    comment: "expected JID differs in case and carries a resource (bare comparison)",
    spec: ["RFC6120-13.7.1.4", "PD-84"],
    expectedJid: "IED1@Grid.Example/mms",
  });
  f.valid({
    comment: "required extended key usage present, suite allowed",
    spec: ["RFC5280-4.2.1.12", "PD-84"],
    requiredEku: [EXTENDED_KEY_USAGE.clientAuth],
    allowedSuites: [f.suite],
  });
  const noCrl = { crls: [], requireCrl: false };
  f.valid({
    comment: "validation time equal to the end entity's notBefore (no CRLs)",
    spec: ["RFC5280-4.1.2.5"],
    now: NOW - 30 * DAY,
    ...noCrl,
  });
  f.valid({
    comment: "validation time equal to the end entity's notAfter (no CRLs)",
    spec: ["RFC5280-4.1.2.5"],
    now: NOW + 365 * DAY,
    ...noCrl,
  });

  const direct = f.forge("ee-direct", {
    issuer: f.root,
    subject: { commonName: EE_CN, organization: ORG },
    jids: [EE_JID],
    roles: ["OPERATOR"],
  });
  f.valid(
    { comment: "end entity issued by the root directly", spec: S, chain: ["ee-direct"] },
    direct,
  );

  const other = OTHER[f.suite];
  const mixed = f.forge("ee-other-suite", {
    issuer: f.int,
    suite: other,
    subject: { commonName: EE_CN },
    jids: [EE_JID],
    roles: ["OPERATOR"],
  });
  f.valid({
    comment: `end entity key of suite ${other} under ${f.suite} CAs`,
    spec: [...S, "PD-84"],
    chain: ["ee-other-suite", "int"],
  }, mixed);

  const plain = f.forge("ee-no-jid", {
    issuer: f.int,
    subject: { commonName: "VPP control centre" },
  });
  f.valid({
    comment: "end entity without JID or roles, no JID expected",
    spec: S,
    chain: ["ee-no-jid", "int"],
    expectedJid: undefined,
  }, plain);
  f.cases[f.cases.length - 1] = {
    ...f.cases[f.cases.length - 1],
    identity: f.identity(plain, { jid: undefined, commonName: "VPP control centre", roles: [] }),
  };

  const roles = f.forge("ee-roles", {
    issuer: f.int,
    subject: { commonName: EE_CN },
    jids: [EE_JID, "ied1-backup@grid.example"],
    roles: ["VIEWER", "OPERATOR", "ENGINEER"],
  });
  f.valid({
    comment: "two xmppAddr names, three roles; the expected JID is the second name",
    spec: ["RFC6120-13.7.1.4", "RFC5280-4.2.1.6", "PD-81"],
    chain: ["ee-roles", "int"],
    expectedJid: "ied1-backup@grid.example",
  }, roles);
  f.cases[f.cases.length - 1] = {
    ...f.cases[f.cases.length - 1],
    identity: f.identity(roles, {
      jid: "ied1-backup@grid.example",
      roles: ["VIEWER", "OPERATOR", "ENGINEER"],
    }),
  };

  // The longest path: end entity plus seven intermediates below the root (no pathLen anywhere).
  let issuer = f.root;
  const names: string[] = [];
  for (let i = 1; i < MAX_PATH_CERTIFICATES; i++) {
    issuer = f.forge(`deep-int-${i}`, {
      issuer,
      subject: { commonName: `Deep CA ${i}`, organization: ORG },
      ca: {},
    });
    names.unshift(`deep-int-${i}`);
  }
  const deep = f.forge("deep-ee", {
    issuer,
    subject: { commonName: EE_CN },
    jids: [EE_JID],
    roles: ["OPERATOR"],
  });
  f.valid({
    comment:
      `path of ${MAX_PATH_CERTIFICATES} certificates below the anchor, intermediates shuffled`,
    spec: ["RFC5280-6.1", "PD-82"],
    chain: ["deep-ee", ...names.slice(3), ...names.slice(0, 3)],
    crls: [],
    requireCrl: false,
  }, deep);
}
