import type { Context } from "hono";
import { type CodedError, ErrorCodes } from "../shared/error-codes.js";

/** Codes only some answers use. */
export const SUBSCRIPTION_NOT_FOUND = "E1002";
export const TRANSACTION_NOT_FOUND = "E1003";
export const PROVISIONING_REJECTED = "E3001";

/** An error with its Arabic wording, where the route can be as precise in Arabic as in English. */
export interface StcError extends CodedError {
  arabic?: string;
}

/** ConnectME's result codes (our design): E1xxx for the caller's mistakes, E3xxx for the network, E5xxx for the platform. */
export const CODES = new ErrorCodes(
  {
    "not-found": "E1000",
    "bad-request": "E1001",
    "invalid-transition": "E1004",
    conflict: "E1005",
    unauthorized: "E1010",
    forbidden: "E1013",
    "unsupported-media-type": "E1015",
    "rate-limited": "E1029",
    "server-error": "E5000",
    unavailable: "E5003",
    "gateway-timeout": "E5004",
  },
  {
    [SUBSCRIPTION_NOT_FOUND]: "not-found",
    [TRANSACTION_NOT_FOUND]: "not-found",
    [PROVISIONING_REJECTED]: "server-error",
  },
);

/** What each code says in Arabic, when the route has nothing more precise to say. */
const ARABIC: Record<string, string> = {
  E1000: "المورد المطلوب غير موجود",
  E1001: "الطلب غير صالح",
  E1002: "الاشتراك غير موجود",
  E1003: "المعاملة غير موجودة",
  E1004: "لا يُسمح بهذا التغيير في حالة الاشتراك",
  E1005: "توجد معاملة قيد التنفيذ لهذا الاشتراك",
  E1010: "رمز الوصول مفقود أو غير صالح أو منتهي الصلاحية",
  E1013: "ليست لديك صلاحية الوصول إلى هذا المورد",
  E1015: "نوع المحتوى غير مدعوم",
  E1029: "تم تجاوز الحد المسموح به من الطلبات، يرجى المحاولة لاحقًا",
  E3001: "رفضت الشبكة تغيير حالة الاشتراك",
  E5000: "حدث خطأ داخلي في النظام",
  E5003: "الخدمة غير متاحة حاليًا",
  E5004: "انتهت مهلة معالجة الطلب",
};

export type Language = "en" | "ar";

/** The caller's preferred language of the two ConnectME speaks, by `Accept-Language` weight. */
export function language(c: Context): Language {
  let best: { tag: Language; q: number } | undefined;
  for (const range of (c.req.header("accept-language") ?? "").split(",")) {
    const [tag = "", ...params] = range.trim().toLowerCase().split(";");
    const primary = tag.split("-")[0];
    if (primary !== "ar" && primary !== "en") continue;
    const q = Number(
      params
        .find((p) => p.trim().startsWith("q="))
        ?.trim()
        .slice(2) ?? 1,
    );
    if (q > 0 && (!best || q > best.q)) best = { tag: primary, q };
  }
  return best?.tag ?? "en";
}

/** The wording of `code` in the caller's language: `english` is what the route said. */
export function say(code: string, english: string, lang: Language): string {
  return lang === "ar" ? (ARABIC[code] ?? (ARABIC.E1001 as string)) : english;
}

export function messageOf(error: StcError, lang: Language): string {
  return lang === "ar" && error.arabic ? error.arabic : say(CODES.codeOf(error), error.message, lang);
}
