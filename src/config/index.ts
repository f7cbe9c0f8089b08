export { expandCharterPatterns } from "./charter-patterns.js";
export { describeFsError, displayPath, findProjectConfig, loadProjectConfig } from "./find-config.js";
export { isActionHandler, loadHandlersModule } from "./handlers-module.js";
export { importModule } from "./import-module.js";
export { projectConfigJsonSchema } from "./json-schema.js";
export {
  DEFAULT_CHARTERS,
  DEFAULT_STORE,
  PROJECT_CONFIG_FILE,
  projectConfigSchema,
  resolveProjectConfig,
} from "./project-config.js";
export type { ProjectConfigOptions, ResolvedProjectConfig } from "./project-config.js";
export { formatStoreSpec, parseStoreSpec, STORE_SPEC_HELP } from "./store-spec.js";
export type { StoreSpec } from "./store-spec.js";
