import { describe, expect, it } from "vitest";
import { isCharterError } from "../errors.js";
import { AWKWARD_YAML, INVOICE_YAML, sampleCharter } from "../../test/helpers/mermaid.js";
import { findStaleDocs } from "./check.js";
import { charterHash } from "./hash.js";
import { INDEX_FILE, pageFileName, renderDocs } from "./render.js";

const invoice = sampleCharter(INVOICE_YAML);
const kitchen = sampleCharter(AWKWARD_YAML);

describe("renderDocs", () => {
  it("writes one page per charter, named after its workflow, then the index", () => {
    const files = renderDocs([
      { charter: kitchen, file: "examples/kitchen-sink.yaml" },
      { charter: invoice, file: "examples/invoice-approval.yaml" },
    ]);
    expect(files.map((f) => f.path)).toEqual(["invoice-approval.md", "kitchen-sink.md", INDEX_FILE]);
    expect(pageFileName(invoice)).toBe("invoice-approval.md");
  });

  it("puts each charter's hash on its page and its short form in the index", () => {
    const files = renderDocs([{ charter: invoice, file: "examples/invoice-approval.yaml" }]);
    const hash = charterHash(invoice);
    expect(files[0]!.content).toContain(`\`${hash}\``);
    expect(files[1]!.content).toContain(`[\`invoice-approval\`](invoice-approval.md)`);
    expect(files[1]!.content).toContain(`\`${hash.slice(0, 12)}\``);
  });

  it("passes the source link through to the page", () => {
    const [page] = renderDocs([{ charter: invoice, file: "examples/i.yaml", sourceHref: "../../examples/i.yaml" }]);
    expect(page!.content).toContain("[`examples/i.yaml`](../../examples/i.yaml)");
  });

  it("gives the same files whatever order the charters come in, so a check after regenerating finds nothing", () => {
    const a = renderDocs([
      { charter: invoice, file: "examples/invoice-approval.yaml" },
      { charter: kitchen, file: "examples/kitchen-sink.yaml" },
    ]);
    const b = renderDocs([
      { charter: kitchen, file: "examples/kitchen-sink.yaml" },
      { charter: invoice, file: "examples/invoice-approval.yaml" },
    ]);
    expect(b).toEqual(a);
    expect(findStaleDocs(b, new Map(a.map((f) => [f.path, f.content])))).toEqual([]);
  });

  it("refuses two charters with the same workflow id, naming both files", () => {
    let error: unknown;
    try {
      renderDocs([
        { charter: invoice, file: "a.yaml" },
        { charter: invoice, file: "b.yaml" },
      ]);
    } catch (e) {
      error = e;
    }
    expect(isCharterError(error) && error.code).toBe("USAGE");
    expect((error as Error).message).toMatch(/b\.yaml.*a\.yaml/);
  });

  it("refuses a workflow whose page would overwrite the index", () => {
    const readme = { ...invoice, workflow: "readme" };
    expect(() => renderDocs([{ charter: readme, file: "r.yaml" }])).toThrow(/index README\.md/);
  });
});
