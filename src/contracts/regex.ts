/** `text` as a regular expression that matches exactly it. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
}
