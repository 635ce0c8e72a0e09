import { driftChecker } from "../contracts/drift.js";
import type { ExchangeChecker } from "../contracts/exchange.js";

/**
 * The checkers every scenario run hands its CMO exchanges to; their findings go into the report
 * and decide the `contractConformance` expectation. Contract drift checking (src/contracts/drift.ts)
 * plugs in here.
 */
export function defaultCheckers(): ExchangeChecker[] {
  return [driftChecker()];
}
