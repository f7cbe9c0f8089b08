/**
 * Support systems, simulated: the CRM, the attachment scanner, the helpdesk, the knowledge base,
 * the security issue tracker and the paging service.
 */
import { defineAction } from "../../index.js";
import type { ActionHandler } from "../../index.js";
import { amount, fields, refuse, stableId, text } from "./common.js";
import { CLOSED_TICKETS, CUSTOMERS, KNOWLEDGE_BASE } from "./data.js";

export const lookupCustomer = defineAction({
  name: "crm.lookupCustomer",
  run(input: unknown) {
    const email = text(fields(input).email).toLowerCase();
    const customer = CUSTOMERS.find((c) => c.email === email);
    if (!customer) refuse("CUSTOMER_NOT_FOUND", `no CRM contact has the email ${email}`);
    const sla: Record<string, string> = {
      enterprise: "1h first reply",
      business: "4h first reply",
      starter: "1d first reply",
    };
    return { ...customer, sla: sla[customer.tier] };
  },
});

export const scanFile = defineAction({
  name: "antivirus.scanFile",
  run(input: unknown) {
    const given = fields(input);
    const fileName = text(given.fileName);
    // The EICAR test file, or an executable, is what the sandbox flags.
    if (/eicar|\.(exe|scr|js)$/i.test(fileName))
      refuse("MALWARE_DETECTED", `${fileName}: malware found (EICAR-Test-File)`, {
        fileName,
        position: given.position,
      });
    return { fileName, clean: true, engine: "demo-av 1.0" };
  },
});

export const quarantineAttachments = defineAction({
  name: "helpdesk.quarantineAttachments",
  run(input: unknown) {
    return { ticketId: text(fields(input).ticketId), quarantined: true };
  },
});

export const createSecurityIssue = defineAction({
  name: "jira.createSecurityIssue",
  run(input: unknown, { idempotencyKey }) {
    const digits = parseInt(stableId("SEC", idempotencyKey).slice(4), 16) % 10_000;
    return { issueKey: `SEC-${digits}`, ticketId: text(fields(input).ticketId) };
  },
});

export const createIncident = defineAction({
  name: "pagerduty.createIncident",
  run(input: unknown) {
    const dedupKey = text(fields(input).dedupKey);
    return { incidentId: stableId("PD", dedupKey), dedupKey, status: "triggered" };
  },
});

export const searchArticles = defineAction({
  name: "kb.searchArticles",
  run(input: unknown) {
    const given = fields(input);
    const words = new Set(
      text(given.query)
        .toLowerCase()
        .split(/[^a-z0-9]+/),
    );
    const limit = amount(given.limit) ?? 5;
    const articles = KNOWLEDGE_BASE.map((a) => ({ a, score: a.keywords.filter((k) => words.has(k)).length }))
      .filter(({ score }) => score > 0)
      .sort((x, y) => y.score - x.score)
      .slice(0, limit)
      .map(({ a }) => ({ id: a.id, title: a.title, body: a.body }));
    return { articles };
  },
});

export const sendReply = defineAction({
  name: "helpdesk.sendReply",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    const ticketId = text(given.ticketId);
    if (CLOSED_TICKETS.includes(ticketId)) refuse("TICKET_CLOSED", `ticket ${ticketId} was closed or merged`);
    return { ticketId, commentId: stableId("CMT", idempotencyKey), status: text(given.status, "solved") };
  },
});

export const applyMacro = defineAction({
  name: "helpdesk.applyMacro",
  run(input: unknown) {
    const given = fields(input);
    return { ticketId: text(given.ticketId), macro: text(given.macro) };
  },
});

export const setStatus = defineAction({
  name: "helpdesk.setStatus",
  run(input: unknown) {
    const given = fields(input);
    return { ticketId: text(given.ticketId), status: text(given.status) };
  },
});

export const supportHandlers: readonly ActionHandler[] = [
  lookupCustomer,
  scanFile,
  quarantineAttachments,
  createSecurityIssue,
  createIncident,
  searchArticles,
  sendReply,
  applyMacro,
  setStatus,
];
