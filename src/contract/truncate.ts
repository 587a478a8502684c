/**
 * Shortens text to at most `max` UTF-16 code units without cutting a surrogate pair in half:
 * half a pair is a lone surrogate, which the canonical encoding refuses (canonical-json.ts), so
 * an event quoting a shortened string could not be recorded.
 */
export function truncate(text: string, max: number, ellipsis = ''): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + ellipsis;
}
