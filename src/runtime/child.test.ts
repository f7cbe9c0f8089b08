/**
 * Work that crosses departments: employee-onboarding's `provision-it` step starts an
 * it-provisioning child run (through the outbox), waits for its outcome, and goes on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, example, exampleDirectory, openEngine } from "../../test/helpers/runtime.js";
import type { Charter } from "../definition/schema.js";
import type { ActionHandler } from "./engine.js";
import { defineAction } from "./handlers.js";

afterEach(closeAll);

const ONBOARDING = example("employee-onboarding");
const IT = example("it-provisioning");

const HIRE = {
  employeeId: "E104233",
  firstName: "Ada",
  lastName: "Byrne",
  personalEmail: "ada@example.com",
  startDate: "2025-04-01",
  jobTitle: "AP clerk",
  department: "FIN-AP",
  costCenter: "CC1234",
  managerId: "maria.lopez",
  location: "lon-hq",
  country: "GB",
  employmentType: "employee",
};

const OUTPUTS: Record<string, unknown> = {
  "identity.createJoinerAccount": { userId: "u-ada" },
  "logistics.bookDeviceDelivery": { shipmentId: "SHP-1" },
  "iam.resolveAccessRequests": {
    requests: [{ system: "m365", entitlement: "mailbox", birthright: true, risk: "low" }],
  },
  "itsm.joinerReadiness": { accountReady: true, deviceDelivered: true, accessPending: 0, accessDenied: 0 },
};

/** Every handler both charters name, answering with OUTPUTS or `{}`; each call is recorded. */
function handlersFor(charters: readonly Charter[], calls: string[]): ActionHandler[] {
  const names = new Set(
    charters.flatMap((c) => Object.values(c.steps).flatMap((s) => (s.kind === "action" ? [s.handler] : []))),
  );
  return [...names].map((name) =>
    defineAction({ name, run: async () => (calls.push(name), OUTPUTS[name] ?? {}) }),
  );
}

async function setup(options: { deployChild?: boolean } = {}) {
  const calls: string[] = [];
  const t = openEngine({
    handlers: handlersFor([ONBOARDING.charter, IT.charter], calls),
    directory: exampleDirectory(),
  });
  if (options.deployChild !== false) await t.engine.deploy(IT.charter, IT.source);
  await t.engine.deploy(ONBOARDING.charter, ONBOARDING.source);
  const { runId } = await t.engine.start("employee-onboarding", { input: HIRE, as: "user:chloe.martin" });
  const [plan] = (await t.engine.listTasks({ as: "user:maria.lopez" })).items;
  await t.engine.decide(plan!.taskId, {
    as: "user:maria.lopez",
    outcome: "submitted",
    data: { accessProfile: "standard", equipmentProfile: "standard-laptop", workspace: "fixed-desk" },
  });
  await t.engine.runUntilIdle();
  const state = async (id: string) => (await t.engine.getRun(id))!.state;
  return { ...t, runId, calls, state };
}

describe("child workflows", () => {
  it("employee-onboarding starts it-provisioning, which completes, and the parent goes on with its outcome", async () => {
    const t = await setup();
    const parent = await t.state(t.runId);
    const childRunId = parent.steps["root/provision-it#1"]!.childRunId!;
    const child = await t.state(childRunId);
    expect(child).toMatchObject({
      workflow: "it-provisioning",
      initiator: "user:chloe.martin",
      status: "running",
    });
    expect(child.parent).toEqual({ runId: t.runId, instance: "root/provision-it#1" });

    // The technician holds endpoint-technician inline in it-provisioning's charter.
    const [device] = (await t.engine.listTasks({ as: "user:carlos.mendes" })).items;
    expect(device?.runId).toBe(childRunId);
    await t.engine.decide(device!.taskId, {
      as: "user:carlos.mendes",
      outcome: "submitted",
      data: { serialNumber: "SN-12345", assetTag: "IT-000042", compliant: true },
    });
    await t.engine.runUntilIdle();
    expect(await t.engine.sendEvent("shipment.delivered", { key: "SHP-1" })).toEqual({ delivered: 1 });
    await t.engine.runUntilIdle();

    expect(await t.state(childRunId)).toMatchObject({
      status: "completed",
      outcome: "provisioned",
      success: true,
    });
    const after = await t.state(t.runId);
    expect(after.steps["root/provision-it#1"]).toMatchObject({
      status: "succeeded",
      output: { runId: childRunId, outcome: "provisioned", success: true },
    });
    expect(after.status).toBe("running");
    expect(Object.values(after.steps).some((s) => s.stepId === "prepare")).toBe(true);
    expect(t.calls).toContain("hris.openPreHireTasks");
    // Nothing is left in the outbox: every start-child-run and notify-parent was carried out.
    expect(
      t.store._internals.db.prepare("SELECT count(*) AS n FROM jobs WHERE command LIKE '%charter:%'").get(),
    ).toEqual({
      n: 0,
    });
    for (const { verdict } of await t.engine.verifyAudit()) expect(verdict.ok).toBe(true);
  });

  it("a child workflow that is not deployed fails the step with WORKFLOW_NOT_FOUND", async () => {
    const t = await setup({ deployChild: false });
    const step = (await t.state(t.runId)).steps["root/provision-it#1"]!;
    expect(step).toMatchObject({
      status: "exception",
      error: { code: "WORKFLOW_NOT_FOUND", retryable: false },
    });
    expect((await t.engine.listRuns()).items).toHaveLength(1);
  });

  it("cancelling the parent cancels the child it waits for", async () => {
    const t = await setup();
    const childRunId = (await t.state(t.runId)).steps["root/provision-it#1"]!.childRunId!;
    await t.engine.cancelRun(t.runId, { as: "user:rachel.green", reason: "hire withdrawn" });
    expect((await t.state(t.runId)).status).toBe("cancelled");
    expect(await t.state(childRunId)).toMatchObject({ status: "cancelled", success: false });
  });
});
