/** A page number from the query string (`name`, "page" by default): anything odd is page 1. */
export function pageParam(request: Request, name = "page"): number {
  const raw = Number(new URL(request.url).searchParams.get(name));
  return Number.isInteger(raw) && raw >= 1 && raw <= 10_000 ? raw : 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route or form id that is not a UUID cannot name anything: it is simply not found. */
export function requireUuid(value: unknown): string {
  if (typeof value !== "string" || !UUID.test(value)) throw new Response("Not found", { status: 404 });
  return value.toLowerCase();
}

/** An optional id from the query string: anything that is not a UUID is left out, as if absent. */
export function uuidParam(value: string | null): string | null {
  return value && UUID.test(value) ? value.toLowerCase() : null;
}
