/**
 * The member's half of a registration (GROUPKEY-PULL style, RFC 6407 §3.2;
 * PD-111): send Ni; check the key server's signed challenge (its chain must
 * validate and carry the configured key server JID, its signature must cover
 * our request); answer with our share, chain and signature; open the key
 * download with the key only the two of us can derive, and check that the
 * keys it carries form our path and fit the group's streams.
 *
 * A refused challenge or key download leaves the registration waiting (an
 * injected message must not cancel it); the timeout ends it.
 *
 * @module
 */
import { concat, toHex } from "../../core/bytes.ts";
import { DerlinkError } from "../../core/errors.ts";
import { GdoiError } from "./errors.ts";
import { bareJid } from "./jid.ts";
import { decodeKeyDownload, downloadKey, openKeyDownload, transcriptHash } from "./key_download.ts";
import { addKeys, EMPTY_KEYRING } from "./keyring.ts";
import { memberKeysFrom } from "./lkh_member.ts";
import {
  encodeRequest,
  keysHeader,
  NONCE_LENGTH,
  proofBody,
  type PullChallenge,
  type PullKeys,
  SIGNATURE_LABEL,
  withSignature,
} from "./messages.ts";
import { checkGroupInfo, type GroupInfo } from "./policy.ts";
import type { TrafficKey } from "./keywrap.ts";
import {
  MEMBER_DEFAULTS,
  type MemberOutput,
  type MemberRegistration,
  type MemberState,
} from "./member_types.ts";

type Step = { state: MemberState; out: MemberOutput[] };

const timeoutOf = (s: MemberState) =>
  s.config.registrationTimeoutMs ?? MEMBER_DEFAULTS.registrationTimeoutMs;

/** Sends message 1 and forgets any earlier membership. */
// spec: RFC6407-3
export function startRegistration(state: MemberState, now: number): Step {
  const { config } = state;
  const ni = config.entropy.bytes(NONCE_LENGTH);
  const request = encodeRequest({
    groupId: config.groupId,
    suite: config.suite,
    jid: bareJid(config.jid),
    ni,
  });
  return {
    state: {
      ...state,
      phase: "requesting",
      now,
      registration: { ni, request, started: now },
      keys: undefined,
      keyring: EMPTY_KEYRING,
      serverKey: undefined,
      info: undefined,
      seq: 0,
    },
    out: [
      { type: "send", to: bareJid(config.keyServerJid), message: "request", data: request },
      { type: "timer", at: now + timeoutOf(state) },
    ],
  };
}

function checkSender(state: MemberState, from: string | undefined): void {
  if (from !== undefined && bareJid(from) !== bareJid(state.config.keyServerJid)) {
    throw new DerlinkError(GdoiError["identity-mismatch"], "not from the key server");
  }
}

/** Message 2 → message 3. */
// spec: RFC6407-3 RFC6407-3.authn
export function onChallenge(
  state: MemberState,
  m: PullChallenge,
  raw: Uint8Array,
  signed: Uint8Array,
  from: string | undefined,
  now: number,
): Step {
  const { config, suite } = state;
  const reg = state.registration!;
  checkSender(state, from);
  // spec: RFC6407-3.nonce
  if (toHex(m.ni) !== toHex(reg.ni)) throw new DerlinkError(GdoiError["nonce-mismatch"], "Ni");
  if (m.info.suite !== config.suite) {
    throw new DerlinkError(GdoiError["unsupported-suite"], m.info.suite);
  }
  try {
    checkGroupInfo(m.info);
  } catch (e) {
    throw new DerlinkError(GdoiError.malformed, e instanceof Error ? e.message : "group policy");
  }
  // spec: PD-112 RFC6407-3.authn
  const checked = config.validateChain(m.chain, {
    anchors: config.anchors,
    now,
    crls: config.crls,
    expectedJid: bareJid(config.keyServerJid),
    requiredEku: config.requiredEku,
    allowedSuites: [config.suite],
  });
  if (!checked.ok) throw checked.error;
  const server = checked.value;
  if (server.jid === undefined || bareJid(server.jid) !== bareJid(config.keyServerJid)) {
    throw new DerlinkError(GdoiError["identity-mismatch"], "key server certificate JID");
  }
  const covered = concat(SIGNATURE_LABEL.challenge, transcriptHash(suite, reg.request), signed);
  if (!suite.sig.verify(server.publicKey, covered, m.signature)) {
    throw new DerlinkError(GdoiError["bad-signature"], "registration challenge");
  }
  try {
    suite.kex.checkPublicKey(m.keyShare);
  } catch (e) {
    throw new DerlinkError(GdoiError["bad-key-share"], e instanceof Error ? e.message : "");
  }
  const eph = suite.kex.generate(config.entropy);
  const body = proofBody({
    groupId: config.groupId,
    ni: reg.ni,
    nr: m.nr,
    keyShare: eph.publicKey,
    chain: config.chain,
  });
  let signature: Uint8Array;
  try {
    signature = config.sign(
      concat(SIGNATURE_LABEL.proof, transcriptHash(suite, reg.request, raw), body),
    );
  } catch (e) {
    throw new DerlinkError(GdoiError["signer-failed"], e instanceof Error ? e.message : "");
  }
  const proof = withSignature(body, signature);
  const registration: MemberRegistration = {
    ...reg,
    started: now,
    challenge: raw,
    nr: m.nr,
    proof,
    ephemeral: eph.privateKey,
    keyShare: m.keyShare,
    serverKey: server.publicKey,
    info: m.info,
  };
  return {
    state: { ...state, phase: "proving", now, registration },
    out: [
      { type: "send", to: bareJid(config.keyServerJid), message: "proof", data: proof },
      { type: "timer", at: now + timeoutOf(state) },
    ],
  };
}

/** Checks that every traffic key belongs to a stream of the group, with its protection. */
export function checkTeks(info: GroupInfo, teks: readonly TrafficKey[]): void {
  for (const t of teks) {
    const s = info.streams.find((x) => x.streamId === t.streamId);
    if (!s || s.protection !== t.protection || !(t.notAfter > t.notBefore)) {
      throw new DerlinkError(GdoiError["inconsistent-keys"], `key ${t.keyId}`);
    }
  }
}

/** Message 4 → member. */
// spec: RFC6407-3 RFC6407-3.kd RFC6407-4.seq PAPER-M5
export function onKeys(
  state: MemberState,
  m: PullKeys,
  from: string | undefined,
  now: number,
): Step {
  const { suite } = state;
  const reg = state.registration!;
  checkSender(state, from);
  if (toHex(m.ni) !== toHex(reg.ni) || toHex(m.nr) !== toHex(reg.nr!)) {
    throw new DerlinkError(GdoiError["nonce-mismatch"], "Ni/Nr");
  }
  const secret = suite.kex.agree(reg.ephemeral!, reg.keyShare!);
  const key = downloadKey(
    suite,
    secret,
    reg.ni,
    reg.nr!,
    transcriptHash(suite, reg.request, reg.challenge!, reg.proof!),
  );
  const plain = openKeyDownload(key, m.sealed, keysHeader(m.groupId, m.ni, m.nr), suite);
  const info = reg.info!;
  const kd = decodeKeyDownload(plain, info.kekLength);
  const keys = memberKeysFrom(kd.leaf, kd.height, kd.path);
  checkTeks(info, kd.teks);
  return {
    state: {
      ...state,
      phase: "member",
      now,
      registration: undefined,
      serverKey: reg.serverKey,
      info,
      seq: kd.seq,
      keys,
      keyring: addKeys(EMPTY_KEYRING, kd.teks),
    },
    out: [{
      type: "event",
      event: { type: "registered", seq: kd.seq, keyIds: kd.teks.map((t) => t.keyId) },
    }],
  };
}
