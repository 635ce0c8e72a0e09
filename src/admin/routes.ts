import { EndpointIndex } from "../openapi/admin-answers.js";
import * as platform from "./platform-routes.js";
import { type AdminRoute, adminRoute, ok } from "./route.js";
import * as simulator from "./sim-routes.js";

/** Where the dashboard is mounted below the admin prefix; it is a page for people, not in the API document. */
export const UI_PATH = "/ui";

const listEndpoints = adminRoute("Simulator", "listEndpoints", "GET /_sim", {
  summary: "List the admin endpoints",
  responses: { 200: ok("Endpoints", EndpointIndex) },
}).handle(() => ({ endpoints: endpointIndex() }));

/** The admin API, in the order the index and the document list it. */
export const adminRoutes = {
  listEndpoints,
  listPlatforms: platform.listPlatforms,
  getPlatform: platform.getPlatform,
  patchProfile: platform.patchProfile,
  putProfile: platform.putProfile,
  deleteProfile: platform.deleteProfile,
  putFaults: platform.putFaults,
  putLatency: platform.putLatency,
  startOutage: platform.startOutage,
  stopOutage: platform.stopOutage,
  listDevices: platform.listDevices,
  setDevice: platform.setDevice,
  getInventory: simulator.getInventory,
  reseed: simulator.reseed,
  getClock: simulator.getClock,
  advanceClock: simulator.advanceClock,
  getJournal: simulator.getJournal,
  clearJournal: simulator.clearJournal,
  getSnapshot: simulator.getSnapshot,
  putSnapshot: simulator.putSnapshot,
  reset: simulator.reset,
  revokeTokens: simulator.revokeTokens,
  listMonitors: simulator.listMonitors,
};

export const ADMIN_ROUTES: readonly AdminRoute[] = Object.values(adminRoutes) as AdminRoute[];

/** `GET|POST /_sim/inventory`: the methods of each path, paths in table order, then the dashboard. */
function endpointIndex(): string[] {
  const methods = new Map<string, string[]>();
  for (const route of ADMIN_ROUTES) {
    if (route === (listEndpoints as AdminRoute)) continue;
    methods.set(route.path, [...(methods.get(route.path) ?? []), route.method]);
  }
  return [...[...methods].map(([path, list]) => `${list.join("|")} ${path}`), `GET /_sim${UI_PATH}`];
}
