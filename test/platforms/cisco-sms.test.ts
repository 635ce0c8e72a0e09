import { beforeEach, describe, expect, it } from "vitest";
import { ccDate, controlCenterServer, cycleOf, fromCcDate, queryDate } from "./cisco-support.js";

/**
 * SMS as Cisco documents it (developer.cisco.com/docs/control-center/send-sms, search-sms,
 * get-sms-details): `POST devices/{iccid}/smsMessages` answers `{smsMsgId}`, the message goes
 * from Pending to Delivered, Search SMS lists ids oldest first, and ctdUsages counts the cycle's.
 */
const MINUTE = 60_000;
const { clock, server, runtime, accountsOf, account, cc, inStatus } = await controlCenterServer("TMUS");
const foreign = accountsOf("acme")[0]!;

const send = async (iccid: string, body: Record<string, unknown>) =>
  cc("POST", `/devices/${iccid}/smsMessages`, body);
const sent = async (iccid: string, messageText = "ping") =>
  (await send(iccid, { messageText })).body.smsMsgId;
const message = async (id: number, query = "") => (await cc("GET", `/smsMessages/${id}${query}`)).body;

describe("TMUS SMS", () => {
  beforeEach(() => server.sim.reset());

  it("sends to a device: Pending, then Delivered on the clock, with every documented detail", async () => {
    const iccid = await inStatus("ACTIVATED");
    const device = (await runtime.findDevice(account.id, iccid))!;
    const at = clock.now();
    const answer = await send(iccid, { messageText: "reboot", dataCoding: 0 });
    expect(answer).toEqual({ status: 200, body: { smsMsgId: expect.any(Number) } });
    const id = answer.body.smsMsgId as number;
    const pending = await message(id);
    expect(pending).toEqual({
      smsMsgId: id,
      status: "Pending",
      messageText: "reboot",
      senderLogin: account.username,
      iccid,
      sentTo: device.record.msisdn,
      sentFrom: "Server",
      msgType: "MT",
      dateSent: ccDate(at),
      dateReceived: ccDate(at),
      dateModified: ccDate(at),
    });
    await clock.advance(MINUTE);
    const delivered = await message(id);
    expect(delivered.status).toBe("Delivered");
    expect(fromCcDate(delivered.dateModified)).toBeGreaterThan(at);
    expect((await message(id, "?messageEncoding=BASE64")).messageText).toBe(
      Buffer.from("reboot").toString("base64"),
    );
    expect((await cc("GET", `/smsMessages/${id}?messageEncoding=HEX`)).body.errorCode).toBe("10000017");
  });

  it("keeps a message to a SIM that cannot receive it Pending until its validity period ends, then Failed", async () => {
    const iccid = await inStatus("DEACTIVATED");
    // tpvp 11: twelve 5-minute steps, an hour.
    const id = (await send(iccid, { messageText: "wake up", tpvp: 11 })).body.smsMsgId;
    await clock.advance(59 * MINUTE);
    expect((await message(id)).status).toBe("Pending");
    await clock.advance(MINUTE);
    expect((await message(id)).status).toBe("Failed");
  });

  it("takes BASE64 and the data codings with their documented length limits, refusing with 10000017–10000020", async () => {
    const iccid = await inStatus("ACTIVATED");
    const code = async (body: Record<string, unknown>) => (await send(iccid, body)).body.errorCode;
    const text = (n: number) => "x".repeat(n);
    for (const [dataCoding, max] of [
      [0, 160],
      [1, 160],
      [3, 160],
      [4, 140],
      [8, 70],
    ] as const) {
      expect((await send(iccid, { messageText: text(max), dataCoding })).status, `${dataCoding}`).toBe(200);
      expect(await code({ messageText: text(max + 1), dataCoding })).toBe("10000020");
    }
    expect((await send(iccid, { messageText: text(320) })).status).toBe(200);
    expect(await code({ messageText: text(321) })).toBe("10000020");
    const binary = Buffer.alloc(140, 7).toString("base64");
    expect(
      (await send(iccid, { messageText: binary, messageEncoding: "BASE64", dataCoding: 4 })).status,
    ).toBe(200);
    expect(
      await code({
        messageText: Buffer.alloc(141).toString("base64"),
        messageEncoding: "BASE64",
        dataCoding: 4,
      }),
    ).toBe("10000020");
    expect(await code({ messageText: "not base64!", messageEncoding: "BASE64" })).toBe("10000017");
    expect(await code({ messageText: "hi", messageEncoding: "HEX" })).toBe("10000017");
    expect(await code({ messageText: "hi", dataCoding: 2 })).toBe("10000018");
    expect(await code({ messageText: "hi", dataCoding: "0" })).toBe("10000018");
    expect(await code({ messageText: "hi", tpvp: 256 })).toBe("10000019");
    expect(await code({ messageText: "hi", tpvp: -1 })).toBe("10000019");
    expect(await code({})).toBe("10000011");
    expect(await code({ messageText: "hi", priority: 1 })).toBe("10000028");
    expect(
      await code({ messageText: "hi", callbackParam: { callbackType: "POST", callbackUrl: "http://x" } }),
    ).toBe("10000028");
    expect((await send("89012600000000000000", { messageText: "hi" })).body.errorCode).toBe("20000001");

    // UCS2 travels as UTF-16BE: a BASE64 reader gets those bytes.
    const id = (await send(iccid, { messageText: "Grüße", dataCoding: 8 })).body.smsMsgId;
    const ucs2 = Buffer.from((await message(id, "?messageEncoding=BASE64")).messageText, "base64");
    expect(ucs2.swap16().toString("utf16le")).toBe("Grüße");
  });

  it("searches the caller's messages from fromDate, oldest change first, by device and type, paged", async () => {
    const [a, b] = [await inStatus("ACTIVATED"), await inStatus("ACTIVATED", 1)];
    const start = clock.now();
    const first = await sent(a);
    await clock.advance(MINUTE);
    const second = await sent(b);
    const third = await sent(a);
    const search = async (query: string) => (await cc("GET", `/smsMessages?${query}`)).body;
    expect(await search(`fromDate=${queryDate(start)}`)).toEqual({
      smsMsgIds: [first, second, third],
      pageNumber: 1,
      lastPage: true,
    });
    expect((await search(`fromDate=${queryDate(start)}&iccid=${a}`)).smsMsgIds).toEqual([first, third]);
    expect((await search(`fromDate=${queryDate(start)}&msgType=MO`)).smsMsgIds).toEqual([]);
    expect(
      (await search(`fromDate=${queryDate(start)}&msgType=MT&pageSize=2&pageNumber=2`)).smsMsgIds,
    ).toEqual([third]);
    expect(
      (await search(`fromDate=${queryDate(start + 30_000)}&toDate=${queryDate(clock.now())}`)).smsMsgIds,
    ).toEqual([second, third]);
    // Another account sees none of them, nor their details.
    const theirs = await cc("GET", `/smsMessages?fromDate=${queryDate(start)}`, undefined, foreign);
    expect(theirs.body.smsMsgIds).toEqual([]);
    expect((await cc("GET", `/smsMessages/${first}`, undefined, foreign)).status).toBe(404);

    expect((await cc("GET", "/smsMessages")).body.errorCode).toBe("10000011");
    expect((await cc("GET", `/smsMessages?fromDate=${queryDate(start)}&msgType=SMS`)).status).toBe(400);
    expect(
      (await cc("GET", `/smsMessages?fromDate=${queryDate(start)}&iccid=89012600000000000000`)).status,
    ).toBe(404);
    expect((await cc("GET", `/smsMessages?fromDate=${queryDate(start)}&order=desc`)).body.errorCode).toBe(
      "10000028",
    );
  });

  it("counts the cycle's messages in ctdUsages and in the home zone's usage", async () => {
    const iccid = await inStatus("ACTIVATED");
    const usage = async () => (await cc("GET", `/devices/${iccid}/ctdUsages`)).body.ctdSMSUsage;
    expect(await usage()).toBe(0);
    await sent(iccid);
    await sent(iccid);
    expect(await usage()).toBe(2);
    const zones = (await cc("GET", `/devices/${iccid}/usageInZone`)).body.deviceCycleUsageInZones;
    const [home] = Object.values(zones)[0] as Array<Record<string, unknown>>;
    expect(home).toMatchObject({ zone: "USA", smsmtusage: 2, smsmousage: null });

    await clock.advance(cycleOf(clock.now(), -1) - clock.now());
    expect(await usage()).toBe(0);
  });
});
