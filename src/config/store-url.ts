/** Where a world shared by several processes lives, as users write it: `redis://host:port[/db][?prefix=name]`. */
export interface StoreAddress {
  /** What the Redis client connects to: the URL without cmo-sim's own `prefix` parameter. */
  connectUrl: string;
  /** The key prefix every key of this world starts with. */
  prefix: string;
  /** The URL with any password masked, for banners, logs and messages. */
  shown: string;
}

/** Keys of a world start with this unless `?prefix=` names another, so one Redis can hold several worlds. */
export const DEFAULT_STORE_PREFIX = "cmo-sim";

const EXAMPLE =
  "e.g. redis://127.0.0.1:6379, redis://redis:6379/2 or rediss://user:pass@host:6380?prefix=team-a";
const PREFIX = /^[A-Za-z0-9._:-]{1,64}$/;

/** The address, or a problem phrased for the person who typed it. */
export function parseStoreUrl(text: string): StoreAddress | { problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `'${text}' is not a URL (${EXAMPLE})` };
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    return {
      problem: `only redis:// and rediss:// stores are supported, not ${url.protocol}// (${EXAMPLE})`,
    };
  if (url.hostname === "") return { problem: `'${text}' names no host (${EXAMPLE})` };
  if (url.pathname !== "" && url.pathname !== "/" && !/^\/\d+$/.test(url.pathname))
    return { problem: `the path must be a database number, not '${url.pathname}' (${EXAMPLE})` };
  const unknown = [...url.searchParams.keys()].filter((key) => key !== "prefix");
  if (unknown.length > 0)
    return { problem: `unknown parameter ${unknown.join(", ")}: only ?prefix=name is understood` };
  const prefix = url.searchParams.get("prefix") ?? DEFAULT_STORE_PREFIX;
  if (!PREFIX.test(prefix))
    return {
      problem: `prefix must be 1-64 letters, digits, dot, dash, colon or underscore, not '${prefix}'`,
    };
  url.search = "";
  const connectUrl = url.toString();
  if (url.password) url.password = "***";
  const shown = `${url.toString()}${prefix === DEFAULT_STORE_PREFIX ? "" : `?prefix=${prefix}`}`;
  return { connectUrl, prefix, shown };
}
