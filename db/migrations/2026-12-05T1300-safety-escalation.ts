import { sql, type Kysely } from "kysely";

// Frozen in time: every safety signal, a PHQ-9 item 9 above 0 or a safety-concern note, is one
// safety alert, so one rule notifies, escalates and times them all. An alert unacknowledged for the
// clinic's escalation minutes is escalated once (`escalated_at`). Safety concerns posted before
// this migration become alerts here, acknowledged as their acknowledgement says; those still
// unacknowledged are overdue and escalate on the scheduler's next pass, which is what they need.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("clinic_settings")
    .addColumn("safety_escalation_minutes", "integer", (c) => c.notNull().defaultTo(60).check(sql`safety_escalation_minutes between 1 and 1440`))
    .execute();
  await db.schema.alterTable("safety_alerts").alterColumn("measure_id", (c) => c.dropNotNull()).execute();
  await db.schema.alterTable("safety_alerts").addColumn("note_id", "uuid", (c) => c.unique().references("care_notes.id")).execute();
  await db.schema.alterTable("safety_alerts").addColumn("escalated_at", "timestamptz").execute();
  await db.schema.alterTable("safety_alerts").addCheckConstraint("safety_alerts_one_signal", sql`num_nonnulls(measure_id, note_id) = 1`).execute();
  await sql`
    insert into safety_alerts (patient_id, note_id, raised_at, acknowledged_by, acknowledged_at, action_taken)
    select n.patient_id, n.id, n.created_at, k.clinician_id, k.acknowledged_at, k.response
    from care_notes n left join safety_acknowledgements k on k.note_id = n.id
    where n.kind = 'safety_concern'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from safety_alerts where note_id is not null`.execute(db);
  await db.schema.alterTable("safety_alerts").dropConstraint("safety_alerts_one_signal").execute();
  await db.schema.alterTable("safety_alerts").dropColumn("escalated_at").execute();
  await db.schema.alterTable("safety_alerts").dropColumn("note_id").execute();
  await db.schema.alterTable("safety_alerts").alterColumn("measure_id", (c) => c.setNotNull()).execute();
  await db.schema.alterTable("clinic_settings").dropColumn("safety_escalation_minutes").execute();
}
