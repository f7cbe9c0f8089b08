import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isCharterError } from "../errors.js";
import type { ActionContext } from "./engine.js";
import { defineAction, toJson } from "./handlers.js";
import { isNonRetryableError, NonRetryableError, RetryAfterError } from "./handler-errors.js";
import { toStepError } from "./step-errors.js";

const context: ActionContext = {
  idempotencyKey: "k",
  attempt: 1,
  runId: "run_1",
  stepId: "s",
  signal: new AbortController().signal,
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("defineAction", () => {
  const lookup = defineAction({
    name: "crm.lookup",
    input: z.object({ customerId: z.string() }),
    output: z.object({ tier: z.enum(["free", "pro"]) }),
    run: async ({ customerId }) => ({ tier: customerId === "c1" ? ("pro" as const) : ("free" as const) }),
  });

  it("validates the input and the output with its zod schemas", async () => {
    expect(await lookup.run({ customerId: "c1" }, context)).toEqual({ tier: "pro" });
  });

  it("an invalid input is a non-retryable INPUT_INVALID naming the field", async () => {
    const error = await rejection(lookup.run({ customerId: 7 } as never, context));
    expect(isNonRetryableError(error)).toBe(true);
    expect(toStepError(error, "HANDLER_FAILED")).toMatchObject({
      code: "INPUT_INVALID",
      retryable: false,
      details: { field: "/customerId" },
    });
  });

  it("an invalid output is a non-retryable OUTPUT_INVALID", async () => {
    const bad = defineAction({
      name: "crm.bad",
      output: z.object({ ok: z.boolean() }),
      run: async () => ({ ok: "yes" }) as never,
    });
    expect(toStepError(await rejection(bad.run({}, context)), "HANDLER_FAILED")).toMatchObject({
      code: "OUTPUT_INVALID",
      retryable: false,
    });
  });

  it("refuses a name a charter could not use", () => {
    let error: unknown;
    try {
      defineAction({ name: "not a name", run: async () => ({}) });
    } catch (e) {
      error = e;
    }
    expect(isCharterError(error) && error.code).toBe("INVALID_OPTION");
  });
});

describe("thrown errors -> step errors", () => {
  it("NonRetryableError is not retried and keeps its code and details", () => {
    expect(
      toStepError(new NonRetryableError("no PO", { code: "PO_NOT_FOUND", details: { po: "45" } }), "X"),
    ).toEqual({
      code: "PO_NOT_FOUND",
      message: "no PO",
      retryable: false,
      details: { po: "45" },
    });
    expect(toStepError(new NonRetryableError("nope"), "X").code).toBe("NON_RETRYABLE");
  });

  it("RetryAfterError is retried after its delay (milliseconds or a duration)", () => {
    expect(toStepError(new RetryAfterError("slow down", "2m"), "X")).toMatchObject({
      code: "HANDLER_FAILED",
      retryable: true,
      retryAfterMs: 120_000,
    });
    expect(toStepError(new RetryAfterError("busy", 500, { code: "BUSY" }), "X")).toMatchObject({
      code: "BUSY",
      retryAfterMs: 500,
    });
  });

  it("any other error is retryable, with its own string code or the fallback", () => {
    expect(toStepError(Object.assign(new Error("reset"), { code: "ECONNRESET" }), "HANDLER_FAILED")).toEqual({
      code: "ECONNRESET",
      message: "reset",
      retryable: true,
    });
    expect(toStepError(new Error("boom"), "HANDLER_FAILED")).toEqual({
      code: "HANDLER_FAILED",
      message: "boom",
      retryable: true,
    });
    expect(toStepError("a string", "MODEL_FAILED")).toMatchObject({
      code: "MODEL_FAILED",
      message: "a string",
    });
    expect(toStepError(Object.assign(new Error("x"), { code: 42 }), "HANDLER_FAILED").code).toBe(
      "HANDLER_FAILED",
    );
  });
});

describe("outputs are JSON", () => {
  it("a Date becomes its text; a cycle or a BigInt is not JSON", () => {
    expect(toJson({ at: new Date("2025-01-01T00:00:00Z") })).toEqual({
      ok: true,
      value: { at: "2025-01-01T00:00:00.000Z" },
    });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(toJson(cycle).ok).toBe(false);
    expect(toJson(10n).ok).toBe(false);
    expect(toJson(undefined)).toEqual({ ok: true, value: undefined });
  });
});
