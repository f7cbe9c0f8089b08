/**
 * Charter versions: deploying (validate, lint, hash, store) and loading the version a run executes.
 * A version is immutable and content-addressed, so a parsed charter is cached by its hash for the
 * life of the engine; "latest" is always asked of the store, since another process may deploy.
 */
import { charterHash } from "../docs/hash.js";
import { hasErrors } from "../definition/diagnostic.js";
import type { Directory } from "../definition/lint/rule.js";
import { lintCharter } from "../definition/lint/lint.js";
import { loadCharterValue, placeFindings } from "../definition/load.js";
import { NO_SOURCE } from "../definition/parse.js";
import type { Charter } from "../definition/schema.js";
import { DefinitionError, NotFoundError, StoreError } from "../errors.js";
import type { CharterVersion, Store } from "../store/store.js";
import type { Clock } from "./engine.js";

export interface DeployResult {
  readonly workflow: string;
  readonly version: string;
  readonly created: boolean;
}

export interface LoadedVersion {
  readonly charter: Charter;
  readonly version: string;
}

export interface Charters {
  deploy(charter: Charter, source: string): Promise<DeployResult>;
  /** The version a run executes; throws StoreError if it is missing or does not match its hash. */
  get(workflow: string, version: string): Promise<Charter>;
  latest(workflow: string): Promise<LoadedVersion | undefined>;
  /** Every workflow's latest version (for role members across charters). */
  allLatest(): Promise<Charter[]>;
}

export function createCharters(store: Store, clock: Clock, directory: Directory): Charters {
  const cache = new Map<string, Charter>();

  const parse = (stored: CharterVersion): Charter => {
    const key = `${stored.workflow}@${stored.version}`;
    let charter = cache.get(key);
    if (!charter) {
      charter = stored.definition as Charter;
      // Content-addressed: a definition that no longer hashes to its version was changed in the store.
      if (charterHash(charter) !== stored.version)
        throw new StoreError(
          `charter ${stored.workflow} version ${stored.version} does not match its content hash: the stored definition was changed`,
          { details: { workflow: stored.workflow, version: stored.version } },
        );
      cache.set(key, charter);
    }
    return charter;
  };

  return {
    async deploy(charter, source) {
      const valid = validate(charter, directory);
      const version = charterHash(valid);
      const created = await store.deployCharter({
        workflow: valid.workflow,
        version,
        definition: valid,
        source,
        deployedAt: clock.now().toISOString(),
      });
      return { workflow: valid.workflow, version, created };
    },
    async get(workflow, version) {
      const cached = cache.get(`${workflow}@${version}`);
      if (cached) return cached;
      const stored = await store.getCharterVersion(workflow, version);
      if (!stored)
        throw new StoreError(
          `charter ${workflow} version ${version} is not in the store, but a run executes it`,
          {
            details: { workflow, version },
          },
        );
      return parse(stored);
    },
    async latest(workflow) {
      const stored = await store.latestCharterVersion(workflow);
      return stored ? { charter: parse(stored), version: stored.version } : undefined;
    },
    async allLatest() {
      const latest = new Map<string, CharterVersion>();
      // listCharters is in deployment order per workflow: the last one seen is the latest.
      for (const version of await store.listCharters()) latest.set(version.workflow, version);
      return [...latest.values()].map(parse);
    },
  };
}

/** Errors stop deployment: the schema, then the production-readiness rules (DESIGN, "What the linter refuses"). */
function validate(charter: Charter, directory: Directory): Charter {
  const file = `<deploy ${String((charter as { workflow?: unknown })?.workflow ?? "?")}>`;
  const loaded = loadCharterValue(charter, file);
  const lint = loaded.charter
    ? placeFindings(lintCharter(loaded.charter, hasRoles(directory) ? { directory } : {}), file, NO_SOURCE)
    : [];
  const diagnostics = [...loaded.diagnostics, ...lint];
  if (!loaded.charter || hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    throw new DefinitionError(
      `${file}: the charter cannot be deployed (${errors.length} error${errors.length === 1 ? "" : "s"}; first: ${errors[0]?.message ?? "invalid"})`,
      diagnostics,
    );
  }
  return loaded.charter;
}

function hasRoles(directory: Directory): boolean {
  return Object.keys(directory.roles).length > 0;
}

/** The latest version of a workflow, or NOT_FOUND naming it. */
export async function requireLatest(charters: Charters, workflow: string): Promise<LoadedVersion> {
  const latest = await charters.latest(workflow);
  if (!latest)
    throw new NotFoundError(
      `workflow "${workflow}" is not deployed: deploy its charter first (charter deploy)`,
      {
        details: { workflow },
      },
    );
  return latest;
}
