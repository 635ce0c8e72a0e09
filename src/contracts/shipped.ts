import { existsSync } from "node:fs";
import { join } from "node:path";

/** The package's `contracts/`: two levels up from src/contracts, three from dist/src/contracts. */
export const SHIPPED_CONTRACTS_DIR =
  [
    join(import.meta.dirname, "..", "..", "contracts"),
    join(import.meta.dirname, "..", "..", "..", "contracts"),
  ].find((dir) => existsSync(dir)) ?? join(import.meta.dirname, "..", "..", "contracts");

export const CMO_CONTRACTS_DIR = join(SHIPPED_CONTRACTS_DIR, "cmo");

/** The shipped pact of one CMO adapter against its platform's native fake. */
export function platformContractFile(code: string): string {
  return join(SHIPPED_CONTRACTS_DIR, "platforms", `${code.toLowerCase()}.json`);
}
