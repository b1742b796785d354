import type { LoaderFunctionArgs } from "@remix-run/node";
import { patientCalendar } from "~/modules/infusions/calendar.server";
import { openPatient } from "~/auth/patient-gate.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { patient } = await openPatient(request, context, params.patientId, {
    action: "calendar.download",
    scope: "infusion_schedule",
  });
  const body = await patientCalendar(context.db, patient, context.now(), context.config.appUrl);
  // The file name carries the calendar code only: downloads folders and mail attachments are not private.
  const filename = `ember-visits-${patient.calendar_code}.ics`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
