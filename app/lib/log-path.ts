/**
 * Pages whose address carries a secret: a calendar feed, a password reset or an invitation link.
 * Whoever reads a log must not be able to open them, so the segment after these prefixes is
 * replaced before a path is written anywhere. Routes match without regard to case or repeated
 * slashes, so neither may slip a token past.
 */
const TOKEN_PATHS = /^(\/+(?:calendar-feed|reset-password|join)\/+)[^/]+/i;

/** The path as logs may show it: query strings never reach here, and token segments are redacted. */
export function loggablePath(pathname: string): string {
  return pathname.replace(TOKEN_PATHS, "$1[redacted]");
}
