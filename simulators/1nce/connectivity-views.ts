import type { Device, NativeAccount } from "../shared/runtime.js";
import { type Connectivity, type DataSession, reachable, servingNode } from "./connectivity.js";
import { onceDate, spacedDate } from "./dates.js";
import { imsiIdOf, ipAddressOf, shortIccid, simIdOf } from "./model.js";

/** How each version renders a SIM's connectivity: v1 `Connectivity`, v2 `SimsConnectivityDetail`. */

const services = (c: Connectivity): string[] => (c.blocked || c.presence === "OFFLINE" ? [] : ["GPRS"]);

/** The fields of a PDP context both versions share (all strings, as documented). */
function pdpCommon(c: Connectivity, session: DataSession, device: Device, account: NativeAccount) {
  const r = device.record;
  const { network, cell } = c;
  return {
    pdp_context_id: session.id,
    endpoint_id: String(simIdOf(r)),
    tariff_id: "1",
    ratezone_id: network.region === "us-east-1" ? "2" : "1",
    organisation_id: account.id,
    imsi_id: String(imsiIdOf(r)),
    imsi: r.imsi,
    sim_id: String(simIdOf(r)),
    gtp_version: c.radio.gtpVersion,
    nsapi: "5",
    sgsn_control_plane_ip_address: session.sgsnIp,
    sgsn_data_plane_ip_address: session.sgsnIp,
    ggsn_control_plane_ip_address: session.ggsnIp,
    ggsn_data_plane_ip_address: session.ggsnIp,
    created: new Date(session.createdAt).toISOString(),
    mcc: network.mcc,
    mnc: network.mnc,
    operator_id: String(network.operatorId),
    lac: String(cell.lac),
    ci: String(cell.ci),
    ue_ip_address: ipAddressOf(r),
    imeisv: session.imeisv,
    rat_type: { rat_type_id: c.radio.id, description: c.radio.description },
  };
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

export function statusV1(c: Connectivity, device: Device, account: NativeAccount, now: number) {
  const r = device.record;
  const { network } = c;
  const session = c.session;
  return {
    // v1 has no BLOCKED: a disabled SIM is simply not on the network.
    status: c.blocked ? "OFFLINE" : c.presence,
    location: {
      iccid: shortIccid(r),
      imsi: r.imsi,
      last_updated: onceDate(c.lastUpdated),
      last_updated_gprs: onceDate(c.lastUpdated),
      sgsn_number: c.sgsnNumber,
      vlr_number: c.vlrNumber,
      // The numbering plan of each number: "1" (ISDN/E.164), the value 1NCE's examples show.
      vlr_number_np: "1",
      msc_number_np: "1",
      sgsn_number_np: "1",
      operator_id: String(network.operatorId),
      msc: c.mscNumber,
      sgsn_ip_address: c.sgsnIp,
      operator: {
        id: String(network.operatorId),
        name: network.operator,
        country: { id: String(network.countryId), name: network.country, "iso-code": network.isoCode },
      },
      country: {
        country_id: String(network.countryId),
        name: network.country,
        country_code: network.countryCode,
        mcc: network.mcc,
        "iso-code": network.isoCode,
        latitude: network.latitude,
        longitude: network.longitude,
      },
    },
    pdp_context: session
      ? {
          ...pdpCommon(c, session, device, account),
          tariff_profile_id: "1",
          teid_data_plane: session.teidData,
          teid_control_plane: session.teidControl,
          duration: duration(now - session.createdAt),
        }
      : null,
    services: services(c),
  };
}

/** v2 returns exactly one of the two ULI objects: GTP v1's on 2G/3G, GTP v2's from 4G on. */
function userLocation(c: Connectivity) {
  const { lac, ci, sac, rac, tac, eci, menbi } = c.cell;
  return c.radio.gtpVersion === "1"
    ? { gtp_v1_uli: { lac: String(lac), ci: String(ci), sac: String(sac), rac: String(rac) } }
    : { gtp_v2_uli: { tac: String(tac), eci: String(eci), menbi: String(menbi) } };
}

export function statusV2(c: Connectivity, device: Device, account: NativeAccount, dataLimitReached: boolean) {
  const r = device.record;
  const { network } = c;
  const session = c.session;
  const node = servingNode(c);
  const mme = c.radio.gtpVersion === "2";
  return {
    status: { description: c.blocked ? "BLOCKED" : c.presence },
    data_traffic_limit_state: { description: dataLimitReached ? "REACHED" : "NOT_REACHED" },
    location: {
      iccid: shortIccid(r),
      imsi: r.imsi,
      last_updated: spacedDate(c.lastUpdated),
      sgsn_number: mme ? node.name : c.sgsnNumber,
      vlr_number: c.vlrNumber,
      operator_id: String(network.operatorId),
      msc: c.mscNumber,
      sgsn_ip_address: c.sgsnIp,
      mme_name: mme ? node.name : null,
      mme_realm: mme ? node.realm : null,
      sgsn_name: mme ? null : node.name,
      sgsn_realm: mme ? null : node.realm,
      operator: {
        id: network.operatorId,
        name: network.operator,
        mnc: network.mnc,
        country: { id: network.countryId, name: network.country, iso_code: network.isoCode },
      },
      country: {
        country_id: String(network.countryId),
        name: network.country,
        country_code: network.countryCode,
        mcc: network.mcc,
        iso_code: network.isoCode,
      },
    },
    pdp_contexts: session
      ? [
          {
            ...pdpCommon(c, session, device, account),
            tx_teid_data_plane: session.teidData,
            tx_teid_control_plane: session.teidControl,
            rx_teid: session.rxTeidData,
            rx_teid_data_plane: session.rxTeidData,
            rx_teid_control_plane: session.rxTeidControl,
            // Deprecated in favour of the ULI objects, yet still required by the schema.
            sac: String(c.cell.sac),
            rac: String(c.cell.rac),
            ...userLocation(c),
            region: network.region,
            apn: "iot.1nce.net",
            ipcan_session_id: session.ipcanSessionId,
          },
        ]
      : [],
    services: services(c),
  };
}

/**
 * v1 `ConnectivityInfo`: an HLR/VLR lookup. Cell data is documented as valid on 2G/3G only, so
 * other radios report no location. The subscriber states are MAP's, in 1NCE's snake case.
 */
export function connectivityInfoV1(
  c: Connectivity,
  now: number,
  ask: { subscriber: boolean; ussd: boolean },
) {
  const located = reachable(c) && c.radio.gtpVersion === "1";
  const state = c.blocked
    ? "not_provided_from_vlr"
    : c.presence === "OFFLINE"
      ? "net_det_not_reachable"
      : "assumed_idle";
  return {
    ...(ask.ussd
      ? { ussd_info: { success: reachable(c), error: reachable(c) ? null : "Request Timeout Error" } }
      : {}),
    ...(ask.subscriber
      ? {
          subscriber_info: {
            success: !c.blocked,
            state,
            location: {
              current_location_retrieved: located,
              age_of_location: located ? Math.floor((now - c.lastUpdated) / 60_000) : null,
              cell_global_id: located
                ? { cid: c.cell.ci, lac: c.cell.lac, mcc: c.network.mcc, mnc: c.network.mnc }
                : null,
            },
          },
        }
      : {}),
    request_timestamp: onceDate(now),
    reply_timestamp: onceDate(now),
  };
}
