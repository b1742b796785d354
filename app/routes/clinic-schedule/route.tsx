import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { PageHeader } from "~/components/ui";
import { clinicToday, formatLongDate, addDays } from "~/lib/time";
import { recordAudit } from "~/audit/audit.server";
import { clinicDays } from "~/modules/infusions/clinic-day";
import { clinicSchedule, clinicScheduleQuery } from "~/modules/infusions/clinic-schedule.server";
import { DayVisits, FreeSlots, WeekVisits } from "./visits";

export const meta: MetaFunction = () => [{ title: "Clinic schedule · Ember Health Provider Portal" }];

/** Ember staff run the clinic day; outside providers have their own patients' "Upcoming infusions". */
const STAFF = ["clinician", "coordinator", "admin"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, STAFF);
  const today = clinicToday(context.now());
  const query = clinicScheduleQuery(request, today);
  const schedule = await clinicSchedule(context.db, actor, query);
  const clinic = schedule.clinics.find((c) => c.id === schedule.clinic_id);
  if (!clinic) throw new Response("No clinic is set up yet.", { status: 404 });
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "clinic_schedule.view",
    entityType: "patient",
    detail: {
      clinic: clinic.id,
      from: query.firstDay,
      days: query.days,
      patientIds: [...new Set(schedule.visits.map((v) => v.patient_id))],
    },
  });
  return {
    today,
    day: query.day,
    view: query.view,
    clinic,
    clinics: schedule.clinics.map((c) => ({ id: c.id, name: c.name })),
    days: clinicDays(query.firstDay, query.days, schedule.visits, clinic, schedule.visit_minutes),
    visitMinutes: schedule.visit_minutes,
  };
}

export default function ClinicSchedule() {
  const { today, day, view, clinic, clinics, days, visitMinutes } = useLoaderData<typeof loader>();
  const week = view === "week";
  const href = (to: { day?: string; view?: string }) =>
    `?${new URLSearchParams({ clinic: clinic.id, day: to.day ?? day, view: to.view ?? view })}`;
  const step = week ? 7 : 1;
  const hours = `${clinic.opens_at}–${clinic.closes_at} New York time`;
  const title = week ? `Week of ${formatLongDate(days[0]!.day)}` : formatLongDate(day);
  return (
    <>
      <PageHeader
        title="Clinic schedule"
        description={`${clinic.name}, open ${hours}. Every visit lasts ${visitMinutes} minutes, arrival to discharge.`}
      />
      <div className="schedule-controls no-print">
        <Form method="get" className="inline-form" aria-label="Choose a clinic and day">
          <label htmlFor="schedule-clinic">Clinic</label>{" "}
          <select id="schedule-clinic" name="clinic" defaultValue={clinic.id}>
            {clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>{" "}
          <label htmlFor="schedule-day">Day</label>{" "}
          <input id="schedule-day" type="date" name="day" defaultValue={day} />{" "}
          <input type="hidden" name="view" value={view} />
          <button type="submit" className="button button-secondary">
            Show
          </button>
        </Form>
        <nav aria-label="Days and weeks" className="schedule-nav">
          <Link to={href({ day: addDays(day, -step) })}>← Previous {week ? "week" : "day"}</Link>
          {day === today ? <span aria-current="date">Today</span> : <Link to={href({ day: today })}>Today</Link>}
          <Link to={href({ day: addDays(day, step) })}>Next {week ? "week" : "day"} →</Link>
          {week ? <Link to={href({ view: "day" })}>Day view</Link> : <Link to={href({ view: "week" })}>Week view</Link>}
        </nav>
      </div>
      <h2 id="schedule-title">
        {title}
        {!week && day === today ? " (today)" : ""}
      </h2>
      {week ? (
        <WeekVisits days={days} dayHref={(d) => href({ day: d, view: "day" })} />
      ) : (
        <>
          <DayVisits visits={days[0]!.visits} day={day} />
          <section aria-labelledby="free-title">
            <h2 id="free-title">Free time for a visit</h2>
            <FreeSlots slots={days[0]!.slots} hours={hours} />
          </section>
        </>
      )}
    </>
  );
}
