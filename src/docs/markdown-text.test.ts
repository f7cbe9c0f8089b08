import { describe, expect, it } from "vitest";
import { code, fence, fields, headingText, list, paragraphs, table, text } from "./markdown-text.js";

describe("text", () => {
  it("escapes the characters that start Markdown, HTML, math and strikethrough", () => {
    expect(text("*a* _b_ [c](d) <e> ~f~ `g` $h$ &amp; \\")).toBe(
      "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\~f\\~ \\`g\\` \\$h\\$ \\&amp; \\\\",
    );
  });

  it("puts a multi-line value on one line", () => {
    expect(text("one\n  two\r\nthree")).toBe("one two three");
  });
});

describe("headingText", () => {
  it("escapes a trailing # that would close the heading", () => {
    expect(headingText("Issue #")).toBe("Issue \\#");
    expect(headingText("C# rules")).toBe("C# rules");
  });
});

describe("paragraphs", () => {
  it("keeps paragraphs and line breaks, and escapes lines that would start a block", () => {
    expect(paragraphs("# not a heading\n- not a list\n1. not ordered\n\n> not a quote")).toBe(
      "\\# not a heading\\\n\\- not a list\\\n1\\. not ordered\n\n\\> not a quote",
    );
  });
});

describe("code", () => {
  it("uses one backtick for plain values", () => {
    expect(code("match-po")).toBe("`match-po`");
  });

  it("uses a longer fence than any backtick run inside, padded when the value starts or ends with one", () => {
    expect(code("steps.`match-po`.output")).toBe("``steps.`match-po`.output``");
    expect(code("`a`")).toBe("`` `a` ``");
    expect(code("a ``` b")).toBe("````a ``` b````");
  });

  it("puts a multi-line value on one line", () => {
    expect(code("a\nb")).toBe("`a b`");
  });
});

describe("fence", () => {
  it("uses at least three backticks, and more than the value holds", () => {
    expect(fence("x", "text")).toBe("```text\nx\n```");
    expect(fence("a ```` b")).toBe("`````\na ```` b\n`````");
  });
});

describe("table", () => {
  it("escapes pipes in cells, also inside code, and turns newlines into <br>", () => {
    expect(table(["A", "B"], [["x | y", "`a|b`\nc"]])).toBe("| A | B |\n| --- | --- |\n| x \\| y | `a\\|b`<br>c |");
  });

  it("keeps an empty cell a cell", () => {
    expect(table(["A", "B"], [["", "b"]])).toBe("| A | B |\n| --- | --- |\n|   | b |");
  });
});

describe("fields and list", () => {
  it("skips undefined fields", () => {
    expect(fields([["A", "1"], ["B", undefined], ["C", "3"]])).toBe("- **A:** 1\n- **C:** 3");
  });

  it("joins items as a sentence", () => {
    expect(list(["a"])).toBe("a");
    expect(list(["a", "b", "c"], "or")).toBe("a, b or c");
  });
});
