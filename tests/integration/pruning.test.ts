import { expect, it } from "vitest";
import { SCHEDULED_TASKS } from "~/jobs/scheduler.server";
import { hashToken, newToken } from "~/lib/tokens.server";
import { pruneExpiredCredentials, THROTTLE_RETENTION_MS } from "~/modules/users/pruning.server";
import { DAY, HOUR, MINUTE } from "../support/clock";
import { describeEachEngine } from "../support/db";
import { createUser, uniqueEmail } from "../support/factories";

const NOW = new Date("2026-10-20T15:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const ahead = (ms: number) => new Date(NOW.getTime() + ms);

describeEachEngine("pruning expired credentials", (getDb) => {
  async function seed() {
    const db = getDb();
    const user = await createUser(db, { role: "therapist" });
    const admin = await createUser(db, { role: "admin" });
    await db
      .insertInto("throttle_hits")
      .values([
        { bucket: "account:old", at: ago(THROTTLE_RETENTION_MS + MINUTE) },
        { bucket: "account:recent", at: ago(HOUR) },
      ])
      .execute();
    const reset = (label: string, expires_at: Date, used_at: Date | null = null) => ({
      user_id: user.id,
      token_hash: hashToken(label + newToken()),
      created_at: ago(HOUR),
      expires_at,
      used_at,
    });
    await db
      .insertInto("password_resets")
      .values([
        reset("expired", ago(MINUTE)),
        reset("used", ahead(10 * MINUTE), ago(MINUTE)),
        reset("live", ahead(10 * MINUTE)),
      ])
      .execute();
    const invitation = (label: string, fields: { expires_at: Date; accepted_at?: Date; revoked_at?: Date }) => ({
      email: uniqueEmail(label),
      role: "therapist" as const,
      token_hash: hashToken(newToken()),
      invited_by: admin.id,
      created_at: ago(DAY),
      ...fields,
    });
    await db
      .insertInto("invitations")
      .values([
        invitation("expired", { expires_at: ago(MINUTE) }),
        invitation("revoked", { expires_at: ahead(DAY), revoked_at: ago(HOUR) }),
        invitation("accepted", { expires_at: ahead(DAY), accepted_at: ago(HOUR) }),
        invitation("open", { expires_at: ahead(DAY) }),
      ])
      .execute();
    const session = (expires_at: Date) => ({
      id_hash: hashToken(newToken()),
      user_id: user.id,
      created_at: ago(HOUR),
      expires_at,
    });
    await db
      .insertInto("sessions")
      .values([session(ago(MINUTE)), session(ahead(20 * MINUTE))])
      .execute();
  }

  it("removes dead links, sessions and old failed attempts, keeps what still works, and two processes may run it at once", async () => {
    const db = getDb();
    await seed();
    const task = SCHEDULED_TASKS.find((t) => t.name === "expired credential pruning")!;
    // Two server processes' schedulers tick at the same moment.
    await Promise.all([
      task.run(db, { now: NOW, appUrl: "https://portal.ember.test" }),
      task.run(db, { now: NOW, appUrl: "https://portal.ember.test" }),
    ]);

    expect((await db.selectFrom("throttle_hits").select("bucket").execute()).map((r) => r.bucket)).toEqual([
      "account:recent",
    ]);
    const resets = await db.selectFrom("password_resets").select(["used_at", "expires_at"]).execute();
    expect(resets).toEqual([{ used_at: null, expires_at: ahead(10 * MINUTE) }]);
    const invitations = await db.selectFrom("invitations").select(["email", "token_hash"]).orderBy("email").execute();
    expect(invitations).toHaveLength(4);
    expect(invitations.filter((i) => i.token_hash !== null).map((i) => i.email.split("-")[0])).toEqual(["open"]);
    expect((await db.selectFrom("sessions").select("expires_at").execute()).map((s) => s.expires_at)).toEqual([
      ahead(20 * MINUTE),
    ]);

    // Nothing left to do: a second pass removes nothing.
    expect(await pruneExpiredCredentials(db, NOW)).toEqual({
      throttleHits: 0,
      passwordResets: 0,
      invitationLinks: 0,
      sessions: 0,
    });
  });

  it("counts what it removed, once, however many passes run at the same moment", async () => {
    const db = getDb();
    await seed();
    const reports = await Promise.all([
      pruneExpiredCredentials(db, NOW),
      pruneExpiredCredentials(db, NOW),
      pruneExpiredCredentials(db, NOW),
    ]);
    const total = (key: keyof (typeof reports)[number]) => reports.reduce((sum, r) => sum + r[key], 0);
    expect({
      throttleHits: total("throttleHits"),
      passwordResets: total("passwordResets"),
      invitationLinks: total("invitationLinks"),
      sessions: total("sessions"),
    }).toEqual({
      throttleHits: 1,
      passwordResets: 2,
      invitationLinks: 3,
      sessions: 1,
    });
  });
});
