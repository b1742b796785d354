import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs, ServerBuild } from "@remix-run/node";
import { afterEach, expect, it } from "vitest";
import { startDbHealth } from "../../server/db-health";
import { BODY_LIMIT_BYTES, createApp } from "../../server/app";
import { buildLoadContext } from "../support/context";
import { describeEachEngine } from "../support/db";
import { EXPECTATIONS, isPatientCells } from "../support/authz-expectations";
import { buildWorld, outcomeOf, paramsFor, pathFor, ROUTES, type Observed } from "../support/route-harness";

/**
 * What a request body may cost before anyone knows who sent it: the server refuses a body over
 * the limit (or of undeclared length) with a clear page before it is read, and every action of a
 * signed-in page checks the session before it reads the body.
 */

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describeEachEngine("request bodies", (getDb, engine) => {
  it(`refuses a body over ${BODY_LIMIT_BYTES / 1024} KB with 413 and a page that says why, and one of undeclared length with 411, never a 500`, async () => {
    const health = startDbHealth(getDb(), { intervalMs: 60_000 });
    stops.push(health.stop);
    const services = buildLoadContext(getDb(), { engine });
    // These answers come before the Remix build is reached, which is why an empty one will do.
    const server = createApp({
      services,
      dbHealth: health,
      build: {} as ServerBuild,
      publicDir: "public",
      isShuttingDown: () => false,
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    stops.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const form = (size: number) => new URLSearchParams({ email: "someone@example.org", password: "x".repeat(size) });

    const big = await fetch(`${url}/login`, { method: "POST", body: form(BODY_LIMIT_BYTES + 1) });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await big.text();
    expect(page).toContain("<h1>That was too much to send</h1>");
    expect(page).toContain(`${BODY_LIMIT_BYTES / 1024} KB`);
    expect((await fetch(`${url}/patients/new`, { method: "POST", body: form(5 * 1024 * 1024) })).status).toBe(413);

    const streamed = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("email=someone%40example.org&password=x"));
        controller.close();
      },
    });
    const unknownLength = await fetch(`${url}/login`, {
      method: "POST",
      body: streamed,
      duplex: "half",
    } as RequestInit);
    expect(unknownLength.status).toBe(411);
    expect(await unknownLength.text()).toContain("<h1>Length required</h1>");

    // Just under the limit, a body goes on: here to the database gate, held shut for the purpose.
    const shut = createApp({
      services,
      dbHealth: { ...health, isUp: () => false },
      build: {} as ServerBuild,
      publicDir: "public",
      isShuttingDown: () => false,
    }).listen(0, "127.0.0.1");
    await once(shut, "listening");
    stops.push(() => shut.close());
    const shutUrl = `http://127.0.0.1:${(shut.address() as AddressInfo).port}`;
    expect((await fetch(`${shutUrl}/login`, { method: "POST", body: form(BODY_LIMIT_BYTES - 1024) })).status).toBe(503);
    expect((await fetch(`${shutUrl}/login`, { method: "POST", body: form(BODY_LIMIT_BYTES + 1) })).status).toBe(413);
  });

  it("checks the session before reading the body in every action of a signed-in page", async () => {
    const world = await buildWorld(getDb(), engine);
    const checked: string[] = [];
    const problems: string[] = [];
    for (const route of ROUTES) {
      const action = route.module.action;
      const signInFirst = (EXPECTATIONS[route.id]?.action ?? []).some(
        (e) => (isPatientCells(e.cells) ? e.cells.anonymous.own : e.cells.anonymous) === "login",
      );
      if (!action || !signInFirst) continue;
      const params = paramsFor(route, world);
      let read = false;
      // A body that tells whether anything pulled on it; the intents name each kind of change.
      const body = new ReadableStream(
        {
          pull(controller) {
            read = true;
            controller.enqueue(new TextEncoder().encode("intent=post&intent=schedule&intent=record&body=hello"));
            controller.close();
          },
        },
        // Nothing is pulled until a reader asks.
        { highWaterMark: 0 },
      );
      const request = new Request(`http://portal.ember.test${pathFor(route, params)}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
        duplex: "half",
      } as RequestInit);
      const context = buildLoadContext(getDb(), { engine, clock: world.clock });
      let observed: Observed;
      try {
        const value = await action({ request, params, context } as ActionFunctionArgs);
        observed =
          value instanceof Response
            ? { kind: "response", thrown: false, status: value.status, location: value.headers.get("Location"), value }
            : { kind: "response", thrown: false, status: 200, location: null, value };
      } catch (thrown) {
        observed =
          thrown instanceof Response
            ? {
                kind: "response",
                thrown: true,
                status: thrown.status,
                location: thrown.headers.get("Location"),
                value: thrown,
              }
            : { kind: "error", error: thrown };
      }
      checked.push(route.id);
      if (outcomeOf(observed) !== "login")
        problems.push(`${route.id}: answered ${outcomeOf(observed)} to a caller without a session`);
      if (read) problems.push(`${route.id}: read the body before checking the session`);
    }
    expect(checked.length).toBeGreaterThan(15);
    expect(problems).toEqual([]);
  });
});
