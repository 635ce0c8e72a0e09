import type { AdminAnswer, AdminClient } from "../admin/client.js";
import { adminRoutes } from "../admin/routes.js";
import type { PlatformProfileInput } from "../config/schema.js";

/** A platform as the admin API lists it. */
export type PlatformInfo = AdminAnswer<typeof adminRoutes.getPlatform>;
export type DeviceInfo = AdminAnswer<typeof adminRoutes.listDevices>["devices"][number];

/** Replaces the platform's run-time override; none clears it. */
export async function setOverride(
  admin: AdminClient,
  code: string,
  override: PlatformProfileInput | undefined,
): Promise<void> {
  const params = { code };
  if (override === undefined) await admin.call(adminRoutes.deleteProfile, { params });
  else await admin.call(adminRoutes.putProfile, { params, body: override });
}
