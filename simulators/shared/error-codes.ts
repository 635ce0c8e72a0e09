import type { NativeError, NativeErrorKind } from "./vocabulary.js";

/** A native error answered under a code its route chose over the kind's default (SIM vs request not found). */
export interface CodedError extends NativeError {
  code?: string;
}

export function coded(code: string, error: NativeError): CodedError {
  return { ...error, code };
}

/**
 * A platform's error codes: one per error kind, plus codes that only some routes answer with. The
 * fake renders from the table and the adapter classifies with it, so the two never disagree.
 */
export class ErrorCodes {
  constructor(
    readonly byKind: Readonly<Record<NativeErrorKind, string>>,
    readonly specific: Readonly<Record<string, NativeErrorKind>> = {},
  ) {}

  codeOf(error: CodedError): string {
    return error.code ?? this.byKind[error.kind];
  }

  kindOf(code: unknown): NativeErrorKind | undefined {
    if (typeof code !== "string") return undefined;
    return (
      this.specific[code] ??
      (Object.keys(this.byKind) as NativeErrorKind[]).find((kind) => this.byKind[kind] === code)
    );
  }
}
