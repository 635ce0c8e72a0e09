/**
 * Pact's matching-rule paths (`$.response[*].state`, `$['@type']`) and how it picks the rule for a
 * place in a document: every rule whose path is a prefix of that place applies, weighted by how
 * exactly it names it (a name or index counts 2, a wildcard 1); the heaviest, longest one wins.
 */

type Token =
  | { kind: "root" }
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "star" }
  | { kind: "star-index" };

const parsed = new Map<string, Token[] | null>();

export function parseRulePath(expression: string): Token[] | null {
  const cached = parsed.get(expression);
  if (cached !== undefined) return cached;
  const tokens: Token[] = [];
  let i = 0;
  const text = expression.trim();
  if (text.startsWith("$")) {
    tokens.push({ kind: "root" });
    i = 1;
  } else {
    // Header and query rules are keyed by a bare name.
    tokens.push({ kind: "field", name: text });
    i = text.length;
  }
  let ok = true;
  while (i < text.length && ok) {
    const ch = text[i];
    if (ch === ".") {
      const match = /^[^.[\]]+/.exec(text.slice(i + 1));
      if (!match) {
        ok = false;
        break;
      }
      tokens.push(match[0] === "*" ? { kind: "star" } : { kind: "field", name: match[0] });
      i += 1 + match[0].length;
    } else if (ch === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) {
        ok = false;
        break;
      }
      const inner = text.slice(i + 1, end).trim();
      if (inner === "*") tokens.push({ kind: "star-index" });
      else if (/^\d+$/.test(inner)) tokens.push({ kind: "index", index: Number(inner) });
      else if (/^'.*'$/.test(inner) || /^".*"$/.test(inner))
        tokens.push({ kind: "field", name: inner.slice(1, -1) });
      else ok = false;
      i = end + 1;
    } else {
      ok = false;
    }
  }
  const result = ok ? tokens : null;
  parsed.set(expression, result);
  return result;
}

function tokenWeight(token: Token, fragment: string): number {
  switch (token.kind) {
    case "root":
      return fragment === "$" ? 2 : 0;
    case "field":
      return fragment === token.name ? 2 : 0;
    case "index":
      return fragment === String(token.index) ? 2 : 0;
    case "star-index":
      return /^\d+$/.test(fragment) ? 1 : 0;
    case "star":
      return 1;
  }
}

/** Pact's weight of a rule path for a place (`["$", "response", "0", "state"]`); 0 when it does not apply. */
export function pathWeight(tokens: readonly Token[], place: readonly string[]): number {
  if (tokens.length > place.length) return 0;
  let weight = 1;
  for (let i = 0; i < tokens.length; i++) weight *= tokenWeight(tokens[i] as Token, place[i] as string);
  return weight;
}

/** `["$", "a", "0", "b c"]` → `$.a[0]['b c']`, the way Pact names places in its mismatches. */
export function formatPlace(place: readonly string[]): string {
  return place
    .map((fragment, i) =>
      i === 0
        ? fragment
        : /^\d+$/.test(fragment)
          ? `[${fragment}]`
          : fragment === "*" || /^[\w@-]+$/.test(fragment)
            ? `.${fragment}`
            : `['${fragment}']`,
    )
    .join("");
}
