import { describe, expect, it } from "vitest";
import type { LintOptions } from "../../rule.js";
import { approval, end, findings, paths, steps } from "../../../../../test/helpers/step-yaml.js";

describe("defined/unused", () => {
  it("warns about a role and a model task nothing uses, at their keys", () => {
    const found = findings("defined/unused", "owner: team:operations");
    expect(found.map((d) => [d.path, d.severity])).toEqual([
      [["roles", "reviewer"], "warning"],
      [["model_tasks", "classify"], "warning"],
    ]);
    expect(found[0]!.message).toBe(
      'Role "reviewer" is declared but never used: no owner, assignee, escalate.to or not_by names role:reviewer. Use it or remove it.',
    );
  });

  it("counts roles named in not_by and inside assignee expressions", () => {
    const roles = `
roles:
  reviewer: { members: [user:rita] }
  auditor: { members: [user:aldo] }
  cfo: { members: [user:carl] }
`;
    const text = `${roles}${steps(
      "approve",
      approval("approve", "{ approved: done, rejected: done }")
        .replace("[initiator]", "[initiator, role:auditor]")
        .replace("assignee: role:reviewer", `assignee: "input.amount > 1 ? 'role:cfo' : 'role:reviewer'"`),
      end("done"),
    )}`;
    expect(paths("defined/unused", text)).toEqual([["model_tasks", "classify"]]);
  });
});

describe("defined/role-members", () => {
  const usesReviewer = (roles: string) => `roles: ${roles}\nowner: role:reviewer`;
  const directory = (roles: Record<string, string[]>): LintOptions => ({ directory: { roles } });

  it("warns about a used role that lists members: [], at the empty list", () => {
    const found = findings("defined/role-members", usesReviewer("{ reviewer: { members: [] } }"));
    expect(found.map((d) => [d.path, d.severity])).toEqual([[["roles", "reviewer", "members"], "warning"]]);
    expect(found[0]!.message).toBe(
      'Role "reviewer" lists members: [], so nobody can act as role:reviewer: add members: [user:<id>, ...], or remove members: [] to take them from the directory.',
    );
  });

  it("stays quiet about a role with no members when no directory is known: the project's directory may list it", () => {
    expect(findings("defined/role-members", usesReviewer("{ reviewer: { description: Reviews } }"))).toEqual(
      [],
    );
  });

  it("warns about a role that is in neither the directory it was given nor inline, at the role", () => {
    const found = findings(
      "defined/role-members",
      `${usesReviewer("{ reviewer: {} }")}\ndirectory: ./people.yaml`,
      directory({ approver: ["user:ann"] }),
    );
    expect(found.map((d) => [d.path, d.severity])).toEqual([[["roles", "reviewer"], "warning"]]);
    expect(found[0]!.message).toBe(
      'Role "reviewer" has no members in the directory ./people.yaml nor inline, so nobody can act as role:reviewer: list it in the directory ./people.yaml (reviewer: [user:<id>, ...]), or add members: [user:<id>, ...] under the role.',
    );
  });

  it("takes members from the directory, or from the role itself", () => {
    expect(
      findings(
        "defined/role-members",
        usesReviewer("{ reviewer: {} }"),
        directory({ reviewer: ["user:rita"] }),
      ),
    ).toEqual([]);
    expect(
      findings(
        "defined/role-members",
        usesReviewer("{ reviewer: { members: [user:rita] } }"),
        directory({ approver: ["user:ann"] }),
      ),
    ).toEqual([]);
  });

  it("stays quiet when the charter names a directory file the linter was not given", () => {
    expect(
      findings(
        "defined/role-members",
        `${usesReviewer("{ reviewer: { members: [] } }")}\ndirectory: ./people.yaml`,
      ),
    ).toEqual([]);
  });

  it("leaves unused roles to defined/unused", () => {
    expect(findings("defined/role-members", "roles: { reviewer: { members: [] } }")).toEqual([]);
  });
});
