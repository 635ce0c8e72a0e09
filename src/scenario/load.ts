import { loadFile, parseText, validate } from "../config/load.js";
import { Scenario } from "./schema.js";

/**
 * Reads a scenario file (YAML or JSON) through the configuration loader, so every problem reads
 * `file:line:col: path.to.field: message` and the CLI exits with 2.
 */
export function loadScenario(path: string): Promise<Scenario> {
  return loadFile(Scenario, path);
}

export function parseScenario(text: string, name = "scenario"): Scenario {
  const { value, source } = parseText(text, name);
  return validate(Scenario, value, source);
}
