import { describe, expect, it } from "vitest";
import { describeEachEngine } from "../support/db";
import { EXPECTATIONS, isPatientCells, type Expectation } from "../support/authz-expectations";
import {
  buildWorld,
  callRoute,
  describeObserved,
  outcomeOf,
  paramsFor,
  RELATIONS,
  ROUTES,
  WHO,
  type Relation,
  type RouteInfo,
  type Who,
  type World,
} from "../support/route-harness";

/**
 * The authorisation matrix: every route module the app ships (found by file name, so a new route
 * cannot be missed), its loader and action, called as every role, and for patient-scoped routes
 * on the caller's own patient, another provider's patient, a patient whose release for the
 * caller was revoked, and a patient whose release covers care coordination alone (the scope
 * dimension: pages a scope governs are "not found" there). Each cell must give the outcome authz-expectations.ts declares.
 */

const HANDLERS = ["loader", "action"] as const;

describe("authorisation matrix coverage", () => {
  it("finds the app's routes and derives their URLs from the file names", () => {
    const patterns = Object.fromEntries(ROUTES.map((r) => [r.id, r.pattern]));
    expect(ROUTES.length).toBeGreaterThan(30);
    expect(patterns).toMatchObject({
      $: "/*",
      _index: "/",
      "admin.audit[.csv]": "/admin/audit.csv",
      "login_.verify": "/login/verify",
      "patients.$patientId._index": "/patients/:patientId",
      "patients.$patientId.calendar[.ics]": "/patients/:patientId/calendar.ics",
      "calendar-feed.$token": "/calendar-feed/:token",
    });
  });

  it("declares the expected outcome of every loader and action, and nothing else", () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      const declared = EXPECTATIONS[route.id];
      if (!declared) {
        problems.push(`${route.id}: no expectation declared in authz-expectations.ts`);
        continue;
      }
      for (const handler of HANDLERS) {
        const exported = typeof route.module[handler] === "function";
        const expected = handler === "loader" ? declared.loader : declared.action;
        if (exported && !expected) problems.push(`${route.id}: exports a ${handler} with no expectation`);
        if (!exported && expected) problems.push(`${route.id}: expects a ${handler} the module does not export`);
        for (const e of handler === "loader"
          ? expected
            ? [expected as Expectation]
            : []
          : ((expected as Expectation[] | undefined) ?? [])) {
          if (isPatientCells(e.cells) !== route.params.includes("patientId"))
            problems.push(
              `${route.id}: a ${handler} expectation ${isPatientCells(e.cells) ? "per patient relation on a route without" : "without patient relations on a route with"} $patientId`,
            );
        }
      }
    }
    const ids = new Set(ROUTES.map((r) => r.id));
    for (const id of Object.keys(EXPECTATIONS))
      if (!ids.has(id)) problems.push(`${id}: an expectation for a route that does not exist`);
    expect(problems).toEqual([]);
  });
});

interface Cell {
  route: RouteInfo;
  handler: (typeof HANDLERS)[number];
  expectation: Expectation;
  who: Who;
  relation?: Relation;
}

function cellsOf(route: RouteInfo): Cell[] {
  const declared = EXPECTATIONS[route.id];
  const cases: Array<[Cell["handler"], Expectation]> = [];
  if (route.module.loader) cases.push(["loader", declared?.loader ?? { cells: {} as Expectation["cells"] }]);
  if (route.module.action)
    for (const e of declared?.action ?? [{ cells: {} as Expectation["cells"] }]) cases.push(["action", e]);
  const cells: Cell[] = [];
  for (const [handler, expectation] of cases) {
    for (const who of WHO) {
      if (route.params.includes("patientId"))
        for (const relation of RELATIONS) cells.push({ route, handler, expectation, who, relation });
      else cells.push({ route, handler, expectation, who });
    }
  }
  return cells;
}

function expectedOf(cell: Cell) {
  const cells = cell.expectation.cells;
  if (isPatientCells(cells)) return cells[cell.who]?.[cell.relation!];
  return cells[cell.who];
}

function nameOf(cell: Cell) {
  const method = cell.handler === "loader" ? "GET" : "POST";
  const label = cell.expectation.label ? ` (${cell.expectation.label})` : "";
  const relation = cell.relation ? ` on the ${cell.relation} patient` : "";
  return `${method} ${cell.route.pattern}${label} as ${cell.who}${relation}`;
}

async function check(world: World, cell: Cell): Promise<string | null> {
  const expected = expectedOf(cell);
  const body = typeof cell.expectation.body === "function" ? cell.expectation.body(world) : cell.expectation.body;
  const { observed } = await callRoute(world, {
    route: cell.route,
    handler: cell.handler,
    who: cell.who,
    params: paramsFor(cell.route, world, cell.relation),
    body,
  });
  const actual = outcomeOf(observed);
  if (actual === null) return `${nameOf(cell)}: server error, ${describeObserved(observed)}`;
  if (!expected) return `${nameOf(cell)}: no expected outcome declared (got ${actual})`;
  if (actual !== expected)
    return `${nameOf(cell)}: expected ${expected}, got ${actual} (${describeObserved(observed)})`;
  return null;
}

describeEachEngine("authorisation matrix", (getDb, engine) => {
  it("gives every role exactly the declared outcome on every route, loader and action", async () => {
    const world = await buildWorld(getDb(), engine);
    const failures: string[] = [];
    let checked = 0;
    for (const route of ROUTES) {
      for (const cell of cellsOf(route)) {
        const failure = await check(world, cell);
        checked++;
        if (failure) failures.push(failure);
      }
    }
    console.log(`authorisation matrix [${engine}]: ${checked} cells checked, ${failures.length} failed`);
    expect(failures).toEqual([]);
  }, 600_000);
});
