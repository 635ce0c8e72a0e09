import type { Hono } from "hono";
import type { Simulator } from "../server/simulator.js";
import { CmoAuth } from "./auth.js";

/** The CMO front: token endpoint, products, status changes, custom properties, monitors, batches. */
export class CmoFront {
  readonly auth: CmoAuth;

  constructor(readonly sim: Simulator) {
    this.auth = new CmoAuth(sim.config.auth, sim.clock, sim.signingSecret);
  }

  register(app: Hono): void {
    this.auth.register(app);
  }

  reset(): void {
    this.auth.reset();
  }
}
