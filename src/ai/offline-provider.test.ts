import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { example } from "../../test/helpers/runtime.js";
import type { ModelRequest } from "../runtime/engine.js";
import { createOfflineProvider, offlineConfidence } from "./offline-provider.js";
import { samplePattern } from "./pattern-sample.js";

const ajv = new Ajv2020({ strict: false });
addFormatsModule.default(ajv);

function request(modelTask: string, outputSchema: Record<string, unknown>, input: unknown): ModelRequest {
  return { modelTask, instructions: "Do it.", input, outputSchema, signal: new AbortController().signal };
}

describe("offline provider", () => {
  const extract = example("invoice-approval").charter.model_tasks!["extract-invoice"]!;

  it("answers every example model task with an output that satisfies its schema", async () => {
    const provider = createOfflineProvider();
    for (const name of [
      "invoice-approval",
      "ticket-triage",
      "vendor-onboarding",
      "expense-claims",
      "access-review",
    ]) {
      for (const [id, task] of Object.entries(example(name).charter.model_tasks ?? {})) {
        const response = await provider.complete(request(id, task.output!, { text: "hello" }));
        expect(ajv.validate(task.output!, response.output), `${name}/${id}: ${ajv.errorsText()}`).toBe(true);
        expect(response.confidence).toBeGreaterThanOrEqual(0.5);
        expect(response.confidence).toBeLessThan(1);
      }
    }
  });

  it("copies input fields whose names match and fit, and gives typed defaults to the rest", async () => {
    const provider = createOfflineProvider();
    const { output } = await provider.complete(
      request("extract-invoice", extract.output!, {
        number: "INV-7",
        total: 12.5,
        currency: "usd",
        text: "...",
      }),
    );
    expect(output).toEqual({
      vendorName: "",
      number: "INV-7",
      issueDate: "1970-01-01",
      currency: "AAA", // "usd" does not fit ^[A-Z]{3}$
      subtotal: 0,
      tax: 0,
      total: 12.5,
      lines: [],
      uncertainFields: [],
    });
  });

  it("is deterministic, and takes a confidence hint from the input or the options", async () => {
    const provider = createOfflineProvider();
    const ask = (input: unknown) => provider.complete(request("t", { type: "object" }, input));
    expect(await ask({ a: 1 })).toEqual(await ask({ a: 1 }));
    expect((await ask({ _confidence: 0.42 })).confidence).toBe(0.42);
    expect((await ask({ confidence: 0.91 })).confidence).toBe(0.91);
    expect((await ask({ confidence: 7 })).confidence).not.toBe(7);
    expect(offlineConfidence({ modelTask: "t", input: { a: 1 } }, 0.8)).toBe(0.8);
    expect(offlineConfidence({ modelTask: "t", input: { a: 1 } })).not.toBe(
      offlineConfidence({ modelTask: "t", input: { a: 2 } }),
    );
  });

  it("returns canned outputs by model task, and reports the model and tokens", async () => {
    const provider = createOfflineProvider({
      outputs: { t: { ok: true }, f: (input: unknown) => ({ echo: input }) },
    });
    const canned = await provider.complete(request("t", { type: "object" }, {}));
    expect(canned).toMatchObject({ output: { ok: true }, model: "offline" });
    expect(canned.outputTokens).toBe(3);
    expect((await provider.complete(request("f", { type: "object" }, 5))).output).toEqual({ echo: 5 });
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      createOfflineProvider().complete({ ...request("t", {}, {}), signal: controller.signal }),
    ).rejects.toThrow("stop");
  });
});

describe("pattern samples", () => {
  it.each([
    "^[A-Z]{3}$",
    "^V[0-9]{6}$",
    "^45[0-9]{8}$",
    "^IT-[0-9]{6}$",
    "^[a-z]+\\.[a-z]+$",
    "^[a-z0-9-]+$",
    "^E\\d{6}$",
    "^(?:[A-Z]{2})?[0-9]{4,8}$",
  ])("a sample of %s matches it", (pattern) => {
    const sample = samplePattern(pattern);
    expect(sample).toBeDefined();
    expect(new RegExp(pattern).test(sample!)).toBe(true);
  });

  it("gives up on alternation and look-arounds", () => {
    expect(samplePattern("^(a|b)$")).toBeUndefined();
    expect(samplePattern("^(?=a)a$")).toBeUndefined();
  });
});
