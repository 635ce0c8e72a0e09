import type { CmoStatus } from "../../src/config/schema.js";
import type { DeviceView } from "../shared/adapter.js";
import type { DeviceReader } from "../shared/device-view.js";
import type { SubscriptionDetails } from "./search-view.js";
import type { SimResource } from "./sim-resource.js";

/** What the CMO reads of a subscription, from either of the two shapes Aeris serves it in. */
interface SubscriptionReading {
  iccid: string;
  imsi: string;
  msisdn: string;
  imei: string;
  state: string;
  activated: string | null;
  added: string | null;
  updated: string | null;
  label: string;
  offering: string;
  ratePlan: string;
  region: string;
  apn: string | undefined;
  ip: string | undefined;
}

export const fromSimResource = (s: SimResource): SubscriptionReading => ({
  iccid: s.icc,
  imsi: s.imsi,
  msisdn: s.msisdn,
  imei: s.imei,
  state: s.sim_subscription_status,
  activated: s.first_activation_date,
  added: s.installation_date,
  updated: s.last_subscription_date_change,
  label: s.customer_label,
  offering: s.product_offer_name,
  ratePlan: s.price_profile_name,
  region: s.region_short_name,
  apn: s.apns[0]?.name,
  ip: s.fixed_ips[0]?.ip,
});

export const fromDetails = (s: SubscriptionDetails): SubscriptionReading => ({
  iccid: s.iccid,
  imsi: s.imsi,
  msisdn: s.msisdn,
  imei: s.assignedImei,
  state: s.state,
  activated: s.firstActivatedAt ?? null,
  added: s.provisionedAt ?? null,
  updated: s.lastSubscriptionChangeDateAt ?? null,
  label: s.label ?? "",
  offering: s.subscriptionPackageDescription ?? "",
  ratePlan: s.subscriptionPackageName ?? "",
  region: s.region,
  apn: s.apns?.[0]?.apn,
  ip: s.ips[0]?.ip,
});

/** A subscription as the CMO shows a device. */
const toView = (s: SubscriptionReading, status: CmoStatus): DeviceView => ({
  nativeId: s.iccid,
  status,
  nativeStatus: s.state,
  offering: s.offering,
  startDate: s.activated ?? s.added ?? undefined,
  iccid: s.iccid,
  imsi: s.imsi,
  msisdn: s.msisdn,
  characteristics: [
    { name: "ICCID", value: s.iccid },
    { name: "IMSI", value: s.imsi },
    { name: "MSISDN", value: s.msisdn },
    { name: "imei", value: s.imei },
    { name: "dateActivated", value: s.activated ?? "" },
    { name: "dateAdded", value: s.added ?? "" },
    { name: "dateUpdated", value: s.updated ?? "" },
    { name: "label", value: s.label },
    { name: "subscriptionPackage", value: s.ratePlan },
  ],
  connectivity: [
    { name: "apn", value: s.apn ?? "" },
    { name: "ipAddress", value: s.ip ?? "" },
    { name: "region", value: s.region },
  ],
});

export const subscriptionReader: DeviceReader<SubscriptionReading> = { status: (s) => s.state, view: toView };
