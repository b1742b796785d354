import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * The URL each route file of app/routes stands for, by the Remix v2 flat-route convention. Shared
 * by the authorisation matrix (which loads the modules) and the browser checks (which only need
 * the addresses).
 */

/** Splits a flat-route name on the dots that separate segments; a dot inside `[...]` is literal. */
function segmentsOf(id: string): string[] {
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of id) {
    if (char === "[") escaped = true;
    else if (char === "]") escaped = false;
    if (char === "." && !escaped) {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  return segments;
}

/**
 * The URL a Remix v2 flat-route file name stands for: `.` separates segments, `$name` is a
 * parameter and a lone `$` a splat, `_index` is an index route, a leading `_` a pathless layout,
 * a trailing `_` only opts out of layout nesting, and `[...]` escapes literal characters.
 */
export function urlPatternOf(id: string): string {
  const parts: string[] = [];
  for (const raw of segmentsOf(id)) {
    if (raw === "_index") continue;
    if (/[()]/.test(raw.replace(/\[[^\]]*\]/g, "")))
      throw new Error(`route ${id}: optional segments are not supported by this harness yet`);
    const segment = raw.length > 1 && raw.endsWith("_") ? raw.slice(0, -1) : raw;
    if (segment.startsWith("_")) continue;
    if (segment === "$") parts.push("*");
    else if (segment.startsWith("$")) parts.push(`:${segment.slice(1)}`);
    else parts.push(segment.replace(/\[([^\]]*)\]/g, "$1"));
  }
  return `/${parts.join("/")}`;
}

/**
 * The route ids in an app/routes folder, as Remix finds them: each flat `<id>.tsx` file, and each
 * folder route `<id>/route.tsx` (the other files in that folder are its parts, not routes).
 */
export function routeIdsIn(routesDir: string): string[] {
  return readdirSync(routesDir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile() && entry.name.endsWith(".tsx")) return [entry.name.replace(/\.tsx$/, "")];
    if (entry.isDirectory() && existsSync(path.join(routesDir, entry.name, "route.tsx"))) return [entry.name];
    return [];
  });
}
