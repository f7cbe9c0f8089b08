/**
 * IT systems, simulated: the identity directory, Microsoft 365 licences, asset management, the
 * courier, identity governance (IAM) and the service desk.
 */
import { defineAction } from "../../index.js";
import type { ActionHandler } from "../../index.js";
import { fields, list, optionalText, refuse, stableId, text } from "./common.js";
import { ACCESS_PROFILES, DIRECTORY_ACCOUNTS, MANUAL_SYSTEMS, SYSTEM_RISK } from "./data.js";

function username(givenName: string, surname: string): string {
  const part = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase();
  return `${part(givenName)}.${part(surname)}`;
}

export const findExistingIdentity = defineAction({
  name: "identity.findExistingIdentity",
  run(input: unknown) {
    const given = fields(input);
    const name = `${text(given.firstName)} ${text(given.lastName)}`;
    const clash = DIRECTORY_ACCOUNTS.find((a) => a.name.toLowerCase() === name.toLowerCase());
    if (clash)
      refuse("IDENTITY_CONFLICT", `the directory has an account for ${clash.name} (${clash.userId})`, {
        existingAccountId: clash.userId,
      });
    return { found: false };
  },
});

export const createJoinerAccount = defineAction({
  name: "identity.createJoinerAccount",
  run(input: unknown) {
    const given = fields(input);
    const reuse = optionalText(given.reuseAccountId);
    const name =
      optionalText(given.username) ?? reuse ?? username(text(given.givenName), text(given.surname));
    if (reuse === undefined && DIRECTORY_ACCOUNTS.some((a) => a.userId === name))
      refuse("USERNAME_TAKEN", `the username ${name} is taken`, { username: name });
    return {
      userId: name,
      upn: `${name}@example.com`,
      mailbox: `${name}@example.com`,
      enabledFrom: text(given.enableOn),
    };
  },
});

export const assignLicenses = defineAction({
  name: "m365.assignLicenses",
  run(input: unknown) {
    const given = fields(input);
    const licences = text(given.type) === "intern" ? ["M365 E1"] : ["M365 E3"];
    if (text(given.profile) === "engineering") licences.push("GitHub Enterprise");
    return { userId: text(given.userId), licences };
  },
});

export const addToBaseGroups = defineAction({
  name: "identity.addToBaseGroups",
  run(input: unknown) {
    const given = fields(input);
    const department = text(given.department);
    return {
      userId: text(given.userId),
      groups: [`dl-${department.toLowerCase()}`, `site-${text(given.location)}`, "all-staff"],
    };
  },
});

export const allocateDevice = defineAction({
  name: "itam.allocateDevice",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    return {
      reservationId: stableId("RES", idempotencyKey),
      model: text(given.model),
      site: text(given.site),
      fromStock: true,
    };
  },
});

export const bookDeviceDelivery = defineAction({
  name: "logistics.bookDeviceDelivery",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    const to = fields(given.deliverTo);
    if (optionalText(to.site) === undefined && optionalText(to.postalCode) === undefined)
      refuse("ADDRESS_INVALID", "the delivery address has no site and no postal code");
    return { shipmentId: stableId("SHP", idempotencyKey), deliverBy: text(given.deliverBy) };
  },
});

export const resolveAccessRequests = defineAction({
  name: "iam.resolveAccessRequests",
  run(input: unknown) {
    const given = fields(input);
    const birthright = (ACCESS_PROFILES[text(given.profile)] ?? ACCESS_PROFILES.standard ?? []).map((e) => ({
      ...e,
      risk: "low",
      birthright: true,
    }));
    const extra = list(given.systems)
      .map((s) => text(s))
      .filter((system) => !birthright.some((b) => b.system === system))
      .map((system) => ({
        system,
        entitlement: "user",
        risk: SYSTEM_RISK[system] ?? "medium",
        birthright: false,
      }));
    return { requests: [...birthright, ...extra] };
  },
});

export const grantEntitlement = defineAction({
  name: "iam.grantEntitlement",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    const system = text(given.system);
    if (MANUAL_SYSTEMS.includes(system))
      refuse("SYSTEM_NOT_CONNECTED", `${system} has no provisioning connector: grant it by ticket`);
    return { grantId: stableId("GRANT", idempotencyKey), system, entitlement: text(given.entitlement) };
  },
});

export const recordAccessDecision = defineAction({
  name: "iam.recordAccessDecision",
  run(input: unknown, { idempotencyKey }) {
    return { recordId: stableId("ACR", idempotencyKey), employeeId: text(fields(input).employeeId) };
  },
});

export const revokeEntitlement = defineAction({
  name: "iam.revokeEntitlement",
  run(input: unknown) {
    const given = fields(input);
    const system = text(given.system);
    if (MANUAL_SYSTEMS.includes(system))
      refuse("SYSTEM_NOT_CONNECTED", `${system} has no provisioning connector: revoke it by ticket`);
    return { accountId: text(given.accountId), revoked: true, reason: text(given.reason) };
  },
});

export const joinerReadiness = defineAction({
  name: "itsm.joinerReadiness",
  run(input: unknown) {
    const employeeId = text(fields(input).employeeId);
    return {
      ticket: stableId("RITM", employeeId),
      accountReady: true,
      deviceDelivered: true,
      accessPending: 0,
      accessDenied: 0,
    };
  },
});

export const sendJoinerReadiness = defineAction({
  name: "email.sendJoinerReadiness",
  run(input: unknown, { idempotencyKey }) {
    return { messageId: stableId("MSG", idempotencyKey), to: text(fields(input).to) };
  },
});

export const itHandlers: readonly ActionHandler[] = [
  findExistingIdentity,
  createJoinerAccount,
  assignLicenses,
  addToBaseGroups,
  allocateDevice,
  bookDeviceDelivery,
  resolveAccessRequests,
  grantEntitlement,
  recordAccessDecision,
  revokeEntitlement,
  joinerReadiness,
  sendJoinerReadiness,
];
