import type { LoaderFunctionArgs } from "@remix-run/node";
import { patientCalendar } from "~/modules/infusions/calendar.server";
import { openPatient } from "~/modules/patients/page.server";
import { initialsOf } from "~/modules/patients/patients.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { patient } = await openPatient(request, context, params.patientId, { action: "calendar.download" });
  const body = await patientCalendar(context.db, patient.id, context.now(), context.config.appUrl);
  // The file name carries initials only: downloads folders and mail attachments are not private.
  const filename = `ember-infusions-${initialsOf(patient).replace(/\./g, "")}.ics`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
