import { Hono } from "hono";
import type { Simulator } from "../server/simulator.js";

export function createAdminApp(_sim: Simulator): Hono {
  return new Hono();
}
