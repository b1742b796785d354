import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { pageParam } from "~/lib/params";
import { clinicToday } from "~/lib/time";
import { homeFor } from "~/modules/home/home.server";
import { rosterSearchSchema } from "~/modules/patients/forms.server";
import { listPatients, type RosterRow } from "~/modules/patients/roster.server";
import { AdminHome, ClinicianHome, CoordinatorHome, ProviderHome } from "./role-views";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const page = pageParam(request);
  const now = context.now();
  const home = await homeFor(context.db, actor, auditContextOf(context, actor), { page, today: clinicToday(now), now });
  return { name: actor.name, page, home };
}

// Search is a POST so that a patient's name never sits in a URL, a browser history or a server log.
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const formData = await request.formData();
  const parsed = rosterSearchSchema.safeParse({ q: formData.get("q") ?? "", page: formData.get("page") ?? 1 });
  if (!parsed.success) {
    return data(
      {
        q: String(formData.get("q") ?? "").slice(0, 100),
        error: parsed.error.issues[0]!.message,
        rows: [] as RosterRow[],
        hasNext: false,
        page: 1,
      },
      { status: 400 },
    );
  }
  const now = context.now();
  const result = await listPatients(context.db, actor, auditContextOf(context, actor), {
    page: parsed.data.page,
    query: parsed.data.q,
    today: clinicToday(now),
    now,
  });
  return { q: parsed.data.q, error: null, page: parsed.data.page, ...result };
}

export default function Home() {
  const { name, page, home } = useLoaderData<typeof loader>();
  switch (home.view) {
    case "provider":
      return <ProviderHome name={name} page={page} home={home} />;
    case "coordinator":
      return <CoordinatorHome name={name} page={page} home={home} />;
    case "clinician":
      return <ClinicianHome name={name} page={page} home={home} />;
    case "admin":
      return <AdminHome name={name} page={page} home={home} />;
  }
}
