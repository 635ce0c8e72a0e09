import { ConfigError } from "../config/errors.js";

/** A numeric flag or variable, or a problem that names it. */
export function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw new ConfigError([`--${name}: '${value}' is not a number`], "command line");
  return n;
}

/** `--seed`: a whole number, as in a configuration or scenario file. */
export function seedFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()))
    throw new ConfigError([`--seed: '${value}' is not a whole number`], "command line");
  return Number(value);
}
