/**
 * Compliance systems, simulated: sanctions and PEP screening, the supplier portal, and the GRC tool
 * that runs access review campaigns. Screening cases and campaigns keep their results in memory
 * (one process), as a real service would in its database.
 */
import { defineAction } from "../../index.js";
import type { ActionHandler } from "../../index.js";
import { fields, list, optionalText, refuse, stableId, text } from "./common.js";
import { BLOCK_LIST, HIGH_RISK_COUNTRIES, PEP_NAMES, REVIEW_ACCOUNTS, SANCTIONED_NAMES } from "./data.js";

type ScreeningResult = "clear" | "potential-pep" | "confirmed-sanctions";

/** Screening cases: each subject's result, by case id. */
const cases = new Map<string, Map<number, ScreeningResult>>();

function screenName(name: string): ScreeningResult {
  const lower = name.trim().toLowerCase();
  if (SANCTIONED_NAMES.some((n) => n.toLowerCase() === lower)) return "confirmed-sanctions";
  if (PEP_NAMES.some((n) => n.toLowerCase() === lower)) return "potential-pep";
  return "clear";
}

export const screenEntity = defineAction({
  name: "screening.screenEntity",
  run(input: unknown) {
    const given = fields(input);
    const name = text(given.name);
    const country = text(given.country);
    if (BLOCK_LIST.some((n) => n.toLowerCase() === name.toLowerCase()))
      refuse("VENDOR_BLOCKED", `${name} is on the internal block list`, { list: "INTERNAL-BLOCK" });
    const caseId = `SCR-${country}-${text(given.registrationNumber)}`;
    const result = screenName(name);
    cases.set(caseId, new Map([[0, result]]));
    return {
      caseId,
      result,
      lists: list(given.lists),
      countryRisk: HIGH_RISK_COUNTRIES.includes(country) ? "high" : "low",
    };
  },
});

export const screenIndividual = defineAction({
  name: "screening.screenIndividual",
  run(input: unknown) {
    const given = fields(input);
    const caseId = text(given.caseId);
    const subject = typeof given.subject === "number" ? given.subject : 0;
    const result = screenName(text(given.name));
    const screened = cases.get(caseId) ?? new Map<number, ScreeningResult>();
    screened.set(subject, result);
    cases.set(caseId, screened);
    return { caseId, subject, name: text(given.name), result };
  },
});

export const getCaseSummary = defineAction({
  name: "screening.getCaseSummary",
  run(input: unknown) {
    const caseId = text(fields(input).caseId);
    const results = [...(cases.get(caseId)?.values() ?? [])];
    const country = /^SCR-([A-Z]{2})-/.exec(caseId)?.[1] ?? "";
    return {
      caseId,
      subjects: results.length,
      confirmedMatches: results.filter((r) => r === "confirmed-sanctions").length,
      potentialMatches: 0,
      pepMatches: results.filter((r) => r === "potential-pep").length,
      countryRisk: HIGH_RISK_COUNTRIES.includes(country) ? "high" : "low",
    };
  },
});

export const requestDocuments = defineAction({
  name: "supplierPortal.requestDocuments",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    return { requestId: stableId("DOCREQ", idempotencyKey), missing: list(given.missing) };
  },
});

export const notifyDecision = defineAction({
  name: "supplierPortal.notifyDecision",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    return {
      messageId: stableId("MSG", idempotencyKey),
      decision: text(given.decision),
      ...(optionalText(given.vendorId) ? { vendorId: text(given.vendorId) } : {}),
    };
  },
});

/**
 * Access review campaigns, by id: items recorded, and revocations left to do by ticket (systems
 * with no connector). The service desk closes those tickets once they are raised, so a campaign
 * asked for its results again (after grc.campaign-revocations-completed) has none pending.
 */
const campaigns = new Map<string, { recorded: number; pendingManual: number; asked: number }>();

export const openAccessReviewCampaign = defineAction({
  name: "grc.openAccessReviewCampaign",
  run(input: unknown) {
    const given = fields(input);
    const scope = text(given.scope, "sox-in-scope");
    const systems = list(given.systems).map((s) => text(s));
    const accounts = REVIEW_ACCOUNTS.filter(
      (a) => (scope === "all" || a.scope === scope) && (systems.length === 0 || systems.includes(a.system)),
    ).map(({ accountId, system, entitlement, holder, managerId }) => ({
      accountId,
      system,
      entitlement,
      holder,
      managerId,
    }));
    if (accounts.length === 0) refuse("NO_ACCOUNTS_IN_SCOPE", `no account is in scope "${scope}"`);
    const campaignId = `UAR-${text(given.label)}-${stableId("C", text(given.runId)).slice(2)}`;
    campaigns.set(campaignId, { recorded: 0, pendingManual: 0, asked: 0 });
    return { campaignId, accounts };
  },
});

export const recordCertification = defineAction({
  name: "grc.recordCertification",
  run(input: unknown) {
    const given = fields(input);
    const campaignId = text(given.campaignId);
    const campaign = campaigns.get(campaignId) ?? { recorded: 0, pendingManual: 0, asked: 0 };
    campaign.recorded += 1;
    if (text(fields(given.revocationError).code) === "SYSTEM_NOT_CONNECTED") campaign.pendingManual += 1;
    campaigns.set(campaignId, campaign);
    return { campaignId, accountId: text(given.accountId), recorded: true };
  },
});

export const campaignSummary = defineAction({
  name: "grc.campaignSummary",
  run(input: unknown) {
    const campaignId = text(fields(input).campaignId);
    const campaign = campaigns.get(campaignId) ?? { recorded: 0, pendingManual: 0, asked: 0 };
    campaign.asked += 1;
    campaigns.set(campaignId, campaign);
    return {
      campaignId,
      itemsRecorded: campaign.recorded,
      pendingManualRevocations: campaign.asked === 1 ? campaign.pendingManual : 0,
    };
  },
});

export const closeCampaign = defineAction({
  name: "grc.closeCampaign",
  run(input: unknown) {
    const campaignId = text(fields(input).campaignId);
    return { campaignId, evidencePack: `https://grc.example.com/campaigns/${campaignId}/evidence.zip` };
  },
});

export const complianceHandlers: readonly ActionHandler[] = [
  screenEntity,
  screenIndividual,
  getCaseSummary,
  requestDocuments,
  notifyDecision,
  openAccessReviewCampaign,
  recordCertification,
  campaignSummary,
  closeCampaign,
];
