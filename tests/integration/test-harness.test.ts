import { sql } from "kysely";
import { expect, it } from "vitest";
import { migrationsAreCurrent } from "../../db/migrator";
import { LOCATIONS } from "../../db/seed-demo";
import { verifyPassword } from "~/auth/password.server";
import { describeEachEngine, ENGINES } from "../support/db";
import { auditContextFor, createUser, insertLocations, TEST_PASSWORD } from "../support/factories";

it("runs on PGlite always, and on PostgreSQL exactly when DATABASE_URL is set", () => {
  expect(ENGINES).toEqual(process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]);
});

describeEachEngine("test harness", (getDb, engine) => {
  it("hands each file its own migrated database", async () => {
    const db = getDb();
    expect(await migrationsAreCurrent(db)).toBe(true);
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
    if (engine === "postgres") expect(rows[0]!.name).toMatch(/^it_[0-9a-f]{16}$/);
  });

  it("starts every test from empty tables (1 of 2: leave rows behind)", async () => {
    await createUser(getDb(), { role: "admin" });
    await insertLocations(getDb());
    expect(await getDb().selectFrom("users").select("id").execute()).toHaveLength(1);
  });

  it("starts every test from empty tables (2 of 2: find none)", async () => {
    expect(await getDb().selectFrom("users").select("id").execute()).toEqual([]);
    expect(await getDb().selectFrom("locations").select("id").execute()).toEqual([]);
  });

  it("makes users with a real password hash, and the five clinics", async () => {
    const db = getDb();
    const user = await createUser(db, { role: "therapist", email: "Mixed.Case@Example.test" });
    expect(user.email).toBe("mixed.case@example.test");
    const row = await db.selectFrom("users").selectAll().where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: "therapist", status: "active" });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.password_hash!, TEST_PASSWORD)).toBe(true);

    await insertLocations(db);
    await insertLocations(db);
    const locations = await db.selectFrom("locations").select(["id", "time_zone"]).orderBy("id").execute();
    expect(locations.map((l) => l.id)).toEqual(LOCATIONS.map((l) => l.id).sort());
    expect(new Set(locations.map((l) => l.time_zone))).toEqual(new Set(["America/New_York"]));

    expect(auditContextFor(user, { ip: "192.0.2.9", requestId: "r1" })).toEqual({
      actorId: user.id,
      actorRole: "therapist",
      ip: "192.0.2.9",
      requestId: "r1",
    });
    expect(auditContextFor(null)).toMatchObject({ actorId: null, actorRole: null });
  });
});
