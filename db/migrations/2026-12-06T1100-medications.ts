import { sql, type Kysely } from "kysely";

// Frozen in time. A patient's medications, the clinic's list of medications to review before
// ketamine (labelled "to review", not advice), and a clinician's review of a listed medication for
// one course of infusions.
export const REVIEW_LIST: [string, string[]][] = [
  [
    "Benzodiazepines",
    ["alprazolam", "xanax", "clonazepam", "klonopin", "lorazepam", "ativan", "diazepam", "valium", "temazepam", "restoril", "chlordiazepoxide", "librium", "oxazepam", "triazolam", "halcion"],
  ],
  ["Lamotrigine", ["lamotrigine", "lamictal"]],
  ["MAOIs", ["phenelzine", "nardil", "tranylcypromine", "parnate", "isocarboxazid", "marplan", "selegiline", "emsam"]],
  [
    "Stimulants",
    ["amphetamine", "adderall", "lisdexamfetamine", "vyvanse", "methylphenidate", "ritalin", "concerta", "dexmethylphenidate", "focalin"],
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("medication_review_list")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 120`))
    .addColumn("match_terms", sql`text[]`, (c) => c.notNull())
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("retired_at", "timestamptz")
    .execute();
  await sql`create unique index medication_review_list_name_idx on medication_review_list (lower(name)) where retired_at is null`.execute(db);
  for (const [name, terms] of REVIEW_LIST) {
    await db.insertInto("medication_review_list").values({ name, match_terms: terms }).execute();
  }

  await db.schema
    .createTable("patient_medications")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("patient_id", "uuid", (c) => c.notNull().references("patients.id"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) between 1 and 120`))
    .addColumn("dose", "text", (c) => c.notNull().check(sql`length(dose) between 1 and 120`))
    .addColumn("prescriber", "text", (c) => c.notNull().check(sql`length(prescriber) between 1 and 120`))
    .addColumn("started_on", "date")
    .addColumn("stopped_on", "date")
    .addColumn("entered_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("entered_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("patient_medications_dates", sql`stopped_on is null or started_on is null or stopped_on >= started_on`)
    .execute();
  await db.schema.createIndex("patient_medications_patient_idx").on("patient_medications").columns(["patient_id", "entered_at"]).execute();

  await db.schema
    .createTable("medication_reviews")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("medication_id", "uuid", (c) => c.notNull().references("patient_medications.id"))
    .addColumn("course_id", "uuid", (c) => c.notNull().references("infusion_courses.id"))
    .addColumn("reviewed_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("reviewed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("medication_reviews_once", ["medication_id", "course_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["medication_reviews", "patient_medications", "medication_review_list"]) await db.schema.dropTable(table).execute();
}
