/**
 * defined/unused and defined/role-members: every declared role and model task is used, and every
 * role in use has someone in it.
 */
import type { Rule } from "../../rule.js";
import { stepsOfKind } from "../../../steps.js";
import { CHECK_STEP, DONE_STEP } from "../examples.js";
import { roleReferences } from "./role-references.js";

export const unused: Rule = {
  id: "defined/unused",
  severity: "warning",
  summary: "Every declared role and model task is used.",
  rationale: `A role nobody names and a model task no ai step runs are dead definitions: they mislead reviewers
("who is this role for?") and drift from the workflow. Remove them, or reference them: roles as
\`role:<id>\` in an owner, assignee, \`escalate.to\` or \`not_by\`; model tasks from an ai step's
\`model_task\`.`,
  example: {
    bad: `roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
  auditor: { description: Reads the audit trail, members: [user:aldo] }
model_tasks: {}
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
    good: `roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
model_tasks: {}
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
  },
  check({ charter, report }) {
    const usedRoles = new Set(roleReferences(charter).map((ref) => ref.role));
    for (const id of Object.keys(charter.roles ?? {}))
      if (!usedRoles.has(id))
        report({
          message: `Role "${id}" is declared but never used: no owner, assignee, escalate.to or not_by names role:${id}. Use it or remove it.`,
          path: ["roles", id],
          atKey: true,
        });
    const usedTasks = new Set(stepsOfKind(charter, ["ai"]).map(({ step: step }) => step.model_task));
    for (const id of Object.keys(charter.model_tasks ?? {}))
      if (!usedTasks.has(id))
        report({
          message: `Model task "${id}" is declared but no ai step uses it: use it in an ai step's model_task, or remove it.`,
          path: ["model_tasks", id],
          atKey: true,
        });
  },
};

export const roleMembers: Rule = {
  id: "defined/role-members",
  severity: "warning",
  summary: "Every role the charter uses has members, where its members are known.",
  rationale: `A human step assigned to a role with no members waits until it expires, because nobody sees it in
their inbox. Members come from the directory: the directory file the charter points at
(\`directory:\`), or the one configured for the project, or \`members: [user:<id>, ...]\` under the
role. This rule warns only when membership is known to be empty: the role lists \`members: []\`, or
the linter was given the charter's directory file and the role has members neither there nor
inline. A role with no \`members\` and no directory file is left to the project's directory, and a
directory file the linter was not given cannot be checked.`,
  example: {
    bad: `roles:
  reviewer: { description: Reviews requests, members: [] }
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
    good: `roles:
  reviewer: { description: Reviews requests, members: [user:rita] }
steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
  },
  check({ charter, options, report }) {
    const directory = options.directory;
    // The charter's directory file may list any role: without it, nothing is known.
    if (charter.directory !== undefined && directory === undefined) return;
    const used = new Set(roleReferences(charter).map((ref) => ref.role));
    const file = charter.directory === undefined ? "directory file" : `directory ${charter.directory}`;
    for (const [id, role] of Object.entries(charter.roles ?? {})) {
      // An unused role is reported once, by defined/unused.
      if (!used.has(id)) continue;
      if ((role.members?.length ?? 0) > 0 || (directory?.roles[id]?.length ?? 0) > 0) continue;
      if (role.members !== undefined)
        report({
          message: `Role "${id}" lists members: [], so nobody can act as role:${id}: add members: [user:<id>, ...]${directory === undefined ? ", or remove members: [] to take them from the directory" : `, or list the role in the ${file}`}.`,
          path: ["roles", id, "members"],
        });
      else if (directory !== undefined)
        report({
          message: `Role "${id}" has no members in the ${file} nor inline, so nobody can act as role:${id}: list it in the ${file} (${id}: [user:<id>, ...]), or add members: [user:<id>, ...] under the role.`,
          path: ["roles", id],
          atKey: true,
        });
    }
  },
};
