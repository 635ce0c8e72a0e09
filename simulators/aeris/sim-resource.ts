import type { Device, PlatformRuntime } from "../shared/runtime.js";
import { APN, FIXED_IP_SUBNET, fixedIp, operatorId } from "./catalogue.js";
import type { Subscription } from "./subscription.js";

/**
 * A SICA `SimResource` (`GET …/sica/subscriptions/sim-resource/{id}` → `{"sims": [...]}`): every
 * field of the vendor schema, in its order and snake_case. Values the fake has no source for are
 * fixed per platform or derived from the record (see the README); dates that never happened and
 * attributes never set (an ARP, a trigger package) are null.
 */

/** The closed enum of the vendor schema: the physical SIM's inventory state. */
type SimResourceStatus =
  | "BEING_ASSEMBLED"
  | "DELETE"
  | "DEPLOYED"
  | "DISPOSED"
  | "DOWN"
  | "END_OF_LIFE"
  | "IN_INVENTORY"
  | "IN_REPAIR"
  | "ON_LOAN"
  | "ORDERED"
  | "RECEIVED"
  | "RESERVED"
  | "RETURN_TO_VENDOR"
  | "TRANSFERRED";

/** A SIM never activated is still stock; a terminated one is out of service for good. */
function resourceStatus(device: Device): SimResourceStatus {
  if (device.nativeStatus === "TERMINATED") return "END_OF_LIFE";
  return device.activatedAt === undefined ? "IN_INVENTORY" : "DEPLOYED";
}

export function simResource(runtime: PlatformRuntime, s: Subscription) {
  const { device, organisation } = s;
  const r = device.record;
  const imsi = r.imsi as string;
  return {
    fixed_ips: [
      {
        ip: fixedIp(r.index),
        ip_version: "IPV4" as "IPV4" | "IPV6",
        radius: "RADIUS1" as "RADIUS1" | "RADIUS2",
        apn_name: APN.name,
        sub_net: FIXED_IP_SUBNET,
      },
    ],
    // 3GPP derives a SIM's access class from the last digit of its IMSI.
    access_control_class: imsi.slice(-1),
    apns: [{ name: APN.name, description: APN.description }],
    assigned_imei: r.imei,
    charge_code_for_pp_move: false,
    charge_code_non_pp_move: false,
    clip: false,
    consumer_connectivity: false,
    csd: false,
    customer_label: r.label,
    customer_no: organisation.id,
    delivery_date: s.addedAt,
    device_terminal_type: r.label.split("-")[0] ?? "",
    disposal_date: null as string | null,
    first_activation_date: s.activatedAt,
    freeze_duration: "0",
    gprs: true,
    icc: r.iccid as string,
    imei: r.imei,
    imsi,
    installation_date: s.addedAt,
    last_subscription_date_change: s.updatedAt,
    move_to_permitted: true,
    msisdn: r.msisdn as string,
    pbr_exit_date: null as string | null,
    pdp_context_profile_name: `PDP_${APN.name}`,
    pin1: s.codes.pin1,
    pin2: s.codes.pin2,
    price_profile_desc: s.package.description,
    price_profile_name: s.package.id,
    product_offer_name: s.package.description,
    puk1: s.codes.puk1,
    puk2: s.codes.puk2,
    region_short_name: s.region,
    roam_profile_desc: `Roaming profile of region ${s.region}`,
    roam_profile_name: `RP_${s.region}`,
    sim_card_description: "Magenta IoT SIM, industrial grade",
    sim_resource_status: resourceStatus(device),
    sim_specification: `${operatorId(runtime)}_SIMSPEC_IOT`,
    sim_subscription_status: device.nativeStatus,
    site: organisation.name,
    sms_mo: true,
    sms_mt: true,
    trigger_package: null as string | null,
    voice: false,
    lte: true,
    user_profile_id: `UP_${organisation.id}`,
    tenant_id: organisation.tenant,
    arp_tadig: s.arpTadigCode,
    arp_assignment_time: s.arpAssignedAt,
    customer_name: organisation.name,
    subscription_package_description: s.package.description,
    operator_id: operatorId(runtime),
    enable_5g: false,
  };
}

export type SimResource = ReturnType<typeof simResource>;
