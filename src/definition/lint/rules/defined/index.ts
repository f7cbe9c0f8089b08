/**
 * defined: the workflow is fully defined. It has a trigger, an input schema, owners, success
 * outcomes; every route names a step that exists, every step is reachable and can reach an end; and
 * every role, model task, handler and child workflow it names is declared somewhere.
 *
 * Routes come from the step graph (graph.ts), so that what the linter checks is what docs draw.
 * Checks stay linear in the number of steps: a broken 5,000-step charter must lint in milliseconds.
 */
import type { Rule } from "../../rule.js";
import { jsonSchema } from "./json-schema.js";
import { inputSchema, owner, success, trigger } from "./presence.js";
import { noEnd, unreachable } from "./reachability.js";
import { routes } from "./routes.js";
import { unknownHandler, unknownModelTask, unknownRole, unknownStep } from "./unknown-names.js";
import { roleMembers, unused } from "./usage.js";
import { childOutcome, unknownWorkflow } from "./workflows.js";

export const definedRules: readonly Rule[] = [
  trigger,
  inputSchema,
  jsonSchema,
  owner,
  success,
  unknownStep,
  routes,
  unreachable,
  noEnd,
  unknownRole,
  unknownModelTask,
  unknownHandler,
  unknownWorkflow,
  childOutcome,
  unused,
  roleMembers,
];
