/**
 * The `user:password@` of a URL (`mqtts://cabinet:s3cret@broker:8883`), wherever it sits in a
 * text: a config value, an error message, a stack. Userinfo is a credential in every scheme
 * Keywarden speaks (mqtt, mqtts, ws, wss, http).
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** The text with each URL's userinfo replaced; the rest (scheme, host, port, path) kept. */
export function withoutUrlSecrets(text: string): string {
  return text.replace(URL_USERINFO, '$1[redacted]@');
}
