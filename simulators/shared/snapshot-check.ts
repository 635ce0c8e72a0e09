import type { PlatformSpec } from "./platform-spec.js";

/**
 * Checks a snapshot against what a platform has (its statuses, devices and accounts) before anything
 * is restored: each book checks its own part into the one list of problems.
 */
export interface SnapshotCheck {
  status(where: string, value: string | undefined): void;
  device(where: string, nativeId: string): void;
  account(where: string, id: string | undefined): void;
  problems: string[];
}

export function snapshotCheck(
  spec: Pick<PlatformSpec, "code" | "vocabulary">,
  problems: string[],
  has: { device(nativeId: string): boolean; account(id: string): boolean },
): SnapshotCheck {
  const { code } = spec;
  const statuses = spec.vocabulary.toCmo;
  return {
    problems,
    status: (where, value) => {
      if (value !== undefined && !(value in statuses))
        problems.push(`${where}: ${value} is not a ${code} status (${Object.keys(statuses).join(", ")})`);
    },
    device: (where, nativeId) => {
      if (!has.device(nativeId)) problems.push(`${where}: ${code} has no device ${nativeId}`);
    },
    account: (where, id) => {
      if (id !== undefined && !has.account(id)) problems.push(`${where}: ${code} has no account ${id}`);
    },
  };
}
