import { randomUUID } from "node:crypto";
import type { RedisConnection } from "./redis-script.js";
import type { Listener, Unsubscribe } from "./store.js";

/**
 * A connection in subscriber mode (Redis keeps one apart for pub/sub): `client.duplicate()` of a
 * `@redis/client` client, connected, fits.
 */
export interface RedisSubscriber {
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
}

// How long an announcer waits for the processes that heard it. Long enough for a busy replica to
// re-read a record; short enough that a process frozen in a debugger, or dying, does not hold an
// admin call for long (it re-reads the record when it comes back anyway: knobs carry versions).
const ACK_WAIT_MS = 2_000;
const ACK_TTL_MS = 60_000;
const FIRST_LOOK_MS = 1;
const MAX_LOOK_MS = 25;

/**
 * Pub/sub with acknowledgements, for what replicas cache (knobs, the manual clock). PUBLISH answers
 * how many subscriber connections received a message, so the announcer knows how many processes
 * to wait for; each of them, once its listeners have settled, adds itself to the message's
 * acknowledgement set. No membership list or heartbeat is needed: a process whose connection died
 * is not among the receivers, and one that received but never acknowledges is waited for only
 * `ACK_WAIT_MS`.
 */
export class RedisAnnouncements {
  readonly #connection: RedisConnection;
  readonly #subscriber: RedisSubscriber | undefined;
  readonly #prefix: string;
  /** This process's name in acknowledgement sets. */
  readonly #self = randomUUID();
  /** One Redis subscription per channel, fanned out here, so a process acknowledges once. */
  readonly #channels = new Map<string, { listeners: Set<Listener>; deliver: (raw: string) => void }>();

  constructor(connection: RedisConnection, prefix: string, subscriber: RedisSubscriber | undefined) {
    this.#connection = connection;
    this.#prefix = prefix;
    this.#subscriber = subscriber;
  }

  async publish(topic: string, message: string): Promise<void> {
    const id = randomUUID();
    const receivers = await this.#connection.sendCommand<number>([
      "PUBLISH",
      this.#channel(topic),
      `${id}\n${message}`,
    ]);
    const acks = this.#ackKey(id);
    const deadline = Date.now() + ACK_WAIT_MS;
    for (let look = FIRST_LOOK_MS; ; look = Math.min(look * 2, MAX_LOOK_MS)) {
      const acknowledged = await this.#connection.sendCommand<number>(["SCARD", acks]);
      if (acknowledged >= receivers || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, look));
    }
    await this.#connection.sendCommand(["DEL", acks]);
  }

  async subscribe(topic: string, listener: Listener): Promise<Unsubscribe> {
    const subscriber = this.#subscriber;
    if (!subscriber) throw new Error("this RedisStore was opened without a subscriber connection");
    const channelName = this.#channel(topic);
    let channel = this.#channels.get(channelName);
    if (!channel) {
      const listeners = new Set<Listener>();
      channel = { listeners, deliver: (raw) => void this.#deliver(listeners, raw) };
      this.#channels.set(channelName, channel);
      await subscriber.subscribe(channelName, channel.deliver);
    }
    channel.listeners.add(listener);
    const { listeners, deliver } = channel;
    return async () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.#channels.get(channelName) !== channel) return;
      this.#channels.delete(channelName);
      await subscriber.unsubscribe(channelName, deliver);
    };
  }

  async #deliver(listeners: ReadonlySet<Listener>, raw: string): Promise<void> {
    const split = raw.indexOf("\n");
    const id = raw.slice(0, split);
    const message = raw.slice(split + 1);
    await Promise.allSettled([...listeners].map(async (listener) => listener(message)));
    // The announcer gives up after ACK_WAIT_MS; an acknowledgement lost to a store outage only
    // makes it wait that long.
    const acks = this.#ackKey(id);
    await Promise.all([
      this.#connection.sendCommand(["SADD", acks, this.#self]),
      this.#connection.sendCommand(["PEXPIRE", acks, String(ACK_TTL_MS)]),
    ]).catch(() => undefined);
  }

  #channel(topic: string): string {
    return `${this.#prefix}:${topic}`;
  }

  #ackKey(id: string): string {
    return `${this.#prefix}:acks:${id}`;
  }
}
