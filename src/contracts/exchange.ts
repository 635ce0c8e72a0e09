/**
 * One CMO request and its answer, as a scenario run saw it. Scenario runs hand every exchange to
 * their checkers (contract drift among them); a checker names what it found wrong.
 */
export interface CmoExchange {
  method: string;
  /** Path below the host, with query string: `/api-gw/connection-management-orchestrator/v5/eos/product?pageSize=5`. */
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  /** Response header names in lower case. */
  responseHeaders: Record<string, string>;
  responseBody: unknown;
}

export interface Finding {
  /** What kind of check found it ("contract-drift", …). */
  kind: string;
  /** The interaction or rule it relates to, e.g. the Pact interaction description. */
  subject: string;
  /** JSON path into the answer (`$.body.response[0].state`, `$.headers.link`), when it applies. */
  path?: string;
  /** The rule that failed (`match: regex`, `type`, `equality`, `status`…). */
  rule: string;
  expected: string;
  actual: string;
}

export type ExchangeChecker = (exchange: CmoExchange) => Finding[];
