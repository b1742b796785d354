import { sql, type Kysely } from "kysely";

// Frozen in time. A PHQ-9 item 9 above 0 on a patient whose PHQ-9 alert is still open joins that
// alert instead of opening another (and emailing everyone again): `safety_alert_measures` lists
// every measure behind a PHQ-9 alert, its first one included, and a unique partial index keeps at
// most one PHQ-9 alert open per patient, even when two are recorded at the same moment. Open
// PHQ-9 alerts from before are merged into the patient's oldest one, their measures moved to it
// and an escalation kept; the merged rows are removed, as their measures now sit on the oldest.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("safety_alert_measures")
    .addColumn("measure_id", "uuid", (c) => c.primaryKey().references("measures.id"))
    .addColumn("alert_id", "uuid", (c) => c.notNull().references("safety_alerts.id"))
    .addColumn("joined_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("safety_alert_measures_alert_idx").on("safety_alert_measures").column("alert_id").execute();
  await sql`
    insert into safety_alert_measures (measure_id, alert_id, joined_at)
    select measure_id, id, raised_at from safety_alerts where measure_id is not null`.execute(db);

  // Each open PHQ-9 alert that is not its patient's oldest open one, with the one it merges into.
  const merged = sql`(
    select id, keep from (
      select id, first_value(id) over (partition by patient_id order by raised_at, id) as keep
      from safety_alerts where measure_id is not null and acknowledged_at is null
    ) open_alerts where id <> keep
  )`;
  await sql`update safety_alert_measures s set alert_id = m.keep from ${merged} m where s.alert_id = m.id`.execute(db);
  await sql`
    update safety_alerts a set escalated_at = e.escalated_at
    from (
      select m.keep, min(d.escalated_at) as escalated_at
      from ${merged} m join safety_alerts d on d.id = m.id
      group by m.keep
    ) e
    where a.id = e.keep and a.escalated_at is null and e.escalated_at is not null`.execute(db);
  await sql`delete from safety_alerts where id in (select id from ${merged} m)`.execute(db);

  await sql`
    create unique index safety_alerts_one_open_phq9 on safety_alerts (patient_id)
    where measure_id is not null and acknowledged_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("safety_alerts_one_open_phq9").execute();
  await db.schema.dropTable("safety_alert_measures").execute();
}
