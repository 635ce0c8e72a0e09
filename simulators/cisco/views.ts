import type { CmoStatus } from "../../src/config/schema.js";
import type { Characteristic, DeviceView } from "../shared/adapter.js";
import type { DeviceDetails, SearchItem } from "./model.js";

/** `2016-06-29 00:21:33.339+0000` → ISO 8601, as the CMO shows dates. */
function isoFromCc(date: string | null | undefined): string | undefined {
  if (!date) return undefined;
  // The common case (UTC, milliseconds) is a rearrangement, not a date computation.
  if (date.length === 28 && date.endsWith("+0000")) return `${date.slice(0, 10)}T${date.slice(11, 23)}Z`;
  const ms = Date.parse(date.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const named = (pairs: Array<[string, string | null | undefined]>): Characteristic[] =>
  pairs.map(([name, value]) => ({ name, value: value ?? "" }));

/** A device as Get Device Details describes it, with the simCard characteristics the CMO names. */
export function detailsView(d: DeviceDetails, status: CmoStatus): DeviceView {
  return {
    nativeId: d.iccid,
    status,
    nativeStatus: d.status,
    accountId: d.accountId,
    offering: d.ratePlan,
    startDate: isoFromCc(d.dateActivated ?? d.dateAdded),
    iccid: d.iccid,
    imsi: d.imsi,
    msisdn: d.msisdn,
    // The CMO's published JASPER simCard carries exactly these, in this order.
    characteristics: named([
      ["dateActivated", isoFromCc(d.dateActivated)],
      ["dateAdded", isoFromCc(d.dateAdded)],
      ["dateUpdated", isoFromCc(d.dateUpdated)],
      ["euiccid", d.eid],
      ["globalSimType", d.globalSimType],
      ["ICCID", d.iccid],
      ["imei", d.imei],
      ["IMSI", d.imsi],
      ["MSISDN", d.msisdn],
      ["simNotes", d.simNotes],
    ]),
    connectivity: named([
      ["ratePlan", d.ratePlan],
      ["communicationPlan", d.communicationPlan],
      ["fixedIPAddress", d.fixedIPAddress],
      ["fixedIpv6Address", d.fixedIpv6Address],
    ]),
  };
}

/** A device as Search Devices lists it: Control Center gives no more than these four fields there. */
export function searchView(item: SearchItem, status: CmoStatus): DeviceView {
  return {
    nativeId: item.iccid,
    status,
    nativeStatus: item.status,
    offering: item.ratePlan,
    iccid: item.iccid,
    characteristics: named([["ICCID", item.iccid]]),
    connectivity: named([
      ["ratePlan", item.ratePlan],
      ["communicationPlan", item.communicationPlan],
    ]),
  };
}
