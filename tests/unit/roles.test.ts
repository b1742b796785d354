import type { Selectable } from "kysely";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { UserTable } from "../../db/schema";
import { isOutsideProvider, ROLES, type Role } from "~/lib/roles";

describe("roles", () => {
  it("are the roles the users table holds", () => {
    expectTypeOf<Role>().toEqualTypeOf<Selectable<UserTable>["role"]>();
  });

  it("counts therapists and psychiatrists as outside providers, everyone else as Ember staff", () => {
    expect(ROLES.filter(isOutsideProvider)).toEqual(["therapist", "psychiatrist"]);
  });
});
