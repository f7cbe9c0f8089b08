/**
 * People systems, simulated: the HRIS, payroll, the workplace catalogue and HR email.
 */
import { defineAction } from "../../index.js";
import type { ActionHandler } from "../../index.js";
import { amount, fields, refuse, stableId, text } from "./common.js";
import { LEAVERS } from "./data.js";

export const changeStartDate = defineAction({
  name: "hris.changeStartDate",
  run(input: unknown) {
    const given = fields(input);
    return { employeeId: text(given.employeeId), startDate: text(given.startDate), hireEventSent: true };
  },
});

export const openPreHireTasks = defineAction({
  name: "hris.openPreHireTasks",
  run(input: unknown) {
    const given = fields(input);
    const employeeId = text(given.employeeId);
    const forms: Record<string, string> = { GB: "P45 or starter checklist", US: "W-4", DE: "Steuer-ID" };
    return {
      portalTasks: [forms[text(given.country)] ?? "tax form", "bank details"],
      portalUrl: `https://hr-portal.example.com/prehire/${employeeId}`,
    };
  },
});

export const placeOnHold = defineAction({
  name: "hris.placeOnHold",
  run(input: unknown) {
    return { employeeId: text(fields(input).employeeId), status: "on-hold" };
  },
});

export const createEmployee = defineAction({
  name: "payroll.createEmployee",
  run(input: unknown) {
    const given = fields(input);
    const employeeId = text(given.employeeId);
    const country = text(given.country);
    const emergency: Record<string, string> = {
      GB: "1257L W1/M1",
      US: "single, no allowances",
      DE: "Steuerklasse VI",
    };
    return {
      payrollId: `PR-${country}-${employeeId}`,
      taxCode:
        given.taxDetailsProvided === true
          ? "from the joiner's tax form"
          : (emergency[country] ?? "emergency"),
    };
  },
});

export const addReimbursement = defineAction({
  name: "payroll.addReimbursement",
  run(input: unknown) {
    const given = fields(input);
    const employeeId = text(given.employeeId);
    if (LEAVERS.includes(employeeId))
      refuse("EMPLOYEE_TERMINATED", `employee ${employeeId} has left and is no longer on payroll`);
    const country = text(given.country);
    return {
      // Every claim of a country rides the next payroll run; its paid event names the run.
      payrollRunId: `PAYRUN-${country}-NEXT`,
      amount: amount(given.amount) ?? 0,
      currency: text(given.currency),
      reference: text(given.reference),
    };
  },
});

export const createCatalogueOrder = defineAction({
  name: "procurement.createCatalogueOrder",
  run(input: unknown, { idempotencyKey }) {
    const given = fields(input);
    return {
      orderNumber: stableId("CAT", idempotencyKey),
      bundle: text(given.bundle),
      neededBy: text(given.neededBy),
    };
  },
});

export const sendBuddyIntroduction = defineAction({
  name: "email.sendBuddyIntroduction",
  run(input: unknown, { idempotencyKey }) {
    return { messageId: stableId("MSG", idempotencyKey), to: text(fields(input).buddy) };
  },
});

export const sendWelcomePack = defineAction({
  name: "email.sendWelcomePack",
  run(input: unknown, { idempotencyKey }) {
    return { messageId: stableId("MSG", idempotencyKey), to: text(fields(input).to) };
  },
});

export const peopleHandlers: readonly ActionHandler[] = [
  changeStartDate,
  openPreHireTasks,
  placeOnHold,
  createEmployee,
  addReimbursement,
  createCatalogueOrder,
  sendBuddyIntroduction,
  sendWelcomePack,
];
