/**
 * Work a journey cannot do through the browser, run against a journey server's own PostgreSQL
 * database: the scheduler's safety escalation at a chosen moment, and a course dated in the past.
 *
 *   tsx tests/support/e2e-tasks.ts escalate <database url> <app url> <ISO moment>
 *   tsx tests/support/e2e-tasks.ts past-course <database url> <patient id> <clinician email> <ISO start>…
 *
 * Prints the result as JSON.
 */
import { openDatabase } from "../../db/engine";
import { escalateSafetyAlerts } from "../../app/modules/safety/alerts.server";
import { insertCourse } from "./factories";

const [task, url, ...args] = process.argv.slice(2);
const handle = openDatabase({ url: url!, dataDir: "" });
try {
  if (task === "escalate") {
    const [appUrl, at] = args;
    console.log(
      JSON.stringify({ queued: await escalateSafetyAlerts(handle.db, { now: new Date(at!), appUrl: appUrl! }) }),
    );
  } else if (task === "past-course") {
    const [patientId, clinicianEmail, ...starts] = args;
    const clinician = await handle.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", clinicianEmail!)
      .executeTakeFirstOrThrow();
    console.log(
      JSON.stringify(
        await insertCourse(handle.db, {
          patientId: patientId!,
          clinicianId: clinician.id,
          createdBy: clinician.id,
          starts: starts.map((s) => new Date(s)),
        }),
      ),
    );
  } else {
    throw new Error(`unknown task ${task}`);
  }
} finally {
  await handle.close();
}
