import { expect, it } from "vitest";
import { describeEachEngine } from "../support/db";
import { buildWorld, callRoute, paramsFor, ROUTES, type World } from "../support/route-harness";

const careTeam = ROUTES.find((r) => r.id === "patients.$patientId.care-team")!;

interface Answer {
  intent: string;
  target?: string;
  result: { initialValue: Record<string, unknown>; error: Record<string, string[]> | null };
}

/** The coordinator sends one of the care-team forms; what came back, with its status. */
async function send(world: World, body: Record<string, string | string[]>) {
  const { observed } = await callRoute(world, {
    route: careTeam,
    handler: "action",
    who: "coordinator",
    params: paramsFor(careTeam, world, "own"),
    body,
  });
  if (observed.kind !== "response") throw observed.error;
  return { status: observed.status, answer: (observed.value as { data: Answer }).data };
}

describeEachEngine("care-team forms", (getDb, engine) => {
  it("gives a refused release back with its messages, what was typed and the boxes as they were left", async () => {
    const world = await buildWorld(getDb(), engine);
    const providerId = world.users.therapist.id;
    const { status, answer } = await send(world, {
      intent: "release",
      providerId,
      signedOn: "2026-10-01",
      expiresOn: "2026-09-01",
      scope: ["care_coordination", "care_notes"],
    });
    expect(status).toBe(400);
    expect(answer).toMatchObject({ intent: "release", target: providerId });
    expect(Object.keys(answer.result.error ?? {})).toEqual(["expiresOn"]);
    expect(answer.result.error?.expiresOn).toContain("The expiry date must be after today.");
    expect(answer.result.initialValue).toMatchObject({
      signedOn: "2026-10-01",
      expiresOn: "2026-09-01",
      scope: ["care_coordination", "care_notes"],
    });

    const unticked = await send(world, { intent: "release", providerId, signedOn: "2026-10-01", expiresOn: "" });
    expect(unticked.status).toBe(400);
    expect(unticked.answer.result.error).toMatchObject({
      scope: ["Choose at least one thing the release allows sharing."],
    });
    expect(unticked.answer.result.initialValue).not.toHaveProperty("scope");
  });

  it("shows a refusal of the module beside the field it is about, keeping the invitation's answers", async () => {
    const world = await buildWorld(getDb(), engine);
    const invitationsBefore = await world.db.selectFrom("invitations").select("id").execute();
    const { status, answer } = await send(world, {
      intent: "invite",
      email: world.users.therapist.email,
      providerRole: "therapist",
      teamRole: "other",
      signedOn: "2026-10-01",
      expiresOn: "2027-10-01",
      scope: ["care_coordination"],
    });
    expect(status).toBe(400);
    expect(answer.intent).toBe("invite");
    expect(answer.result.error).toEqual({
      email: ["This provider already has a portal account: add them from the list of existing providers."],
    });
    expect(answer.result.initialValue).toMatchObject({
      email: world.users.therapist.email,
      teamRole: "other",
      scope: "care_coordination",
    });
    expect(await world.db.selectFrom("invitations").select("id").execute()).toEqual(invitationsBefore);

    const again = await send(world, { intent: "add", providerId: world.users.therapist.id, teamRole: "other" });
    expect(again.status).toBe(400);
    expect(again.answer.result.error).toEqual({ providerId: ["This provider is already on the care team."] });
  });

  it("adds a provider with their release from the add form in one step; a refused release adds nobody", async () => {
    const world = await buildWorld(getDb(), engine);
    const { db, otherTherapist, patients } = world;
    const membersOf = () =>
      db
        .selectFrom("care_team_members")
        .select("user_id")
        .where("patient_id", "=", patients.own.id)
        .where("user_id", "=", otherTherapist.id)
        .execute();
    const refused = await send(world, {
      intent: "add",
      providerId: otherTherapist.id,
      teamRole: "other",
      signedOn: "2026-10-01",
      expiresOn: "2026-09-01",
      scope: ["care_coordination"],
    });
    expect(refused.status).toBe(400);
    expect(refused.answer.intent).toBe("add");
    expect(refused.answer.result.error?.expiresOn).toContain("The expiry date must be after today.");
    expect(refused.answer.result.initialValue).toMatchObject({ providerId: otherTherapist.id, signedOn: "2026-10-01" });
    expect(await membersOf()).toEqual([]);

    const added = await send(world, {
      intent: "add",
      providerId: otherTherapist.id,
      teamRole: "other",
      signedOn: "2026-10-01",
      expiresOn: "2027-10-01",
      scope: ["care_coordination", "care_notes"],
    });
    expect(added.status).toBe(302);
    expect(await membersOf()).toHaveLength(1);
    expect(
      await db
        .selectFrom("releases_of_information")
        .select(["signed_on", "expires_on", "scope"])
        .where("patient_id", "=", patients.own.id)
        .where("provider_id", "=", otherTherapist.id)
        .execute(),
    ).toEqual([{ signed_on: "2026-10-01", expires_on: "2027-10-01", scope: ["care_coordination", "care_notes"] }]);
  });
});
