/** Percent-decoded client text, or undefined when it is not validly encoded (a lone `%`, say). */
export function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
