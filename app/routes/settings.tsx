import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Form, SubmitButton } from "~/components/form";
import { PageHeader } from "~/components/ui";
import { setFlash } from "~/lib/flash.server";
import { notificationPreferences, setNoteDigests } from "~/modules/users/preferences.server";

export const meta: MetaFunction = () => [{ title: "Settings · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return { email: actor.email, ...(await notificationPreferences(context.db, actor.id)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const enabled = (await request.formData()).get("notifyNotes") === "yes";
  await setNoteDigests(context.db, auditContextOf(context, actor), { userId: actor.id, enabled, now: context.now() });
  return redirect("/settings", {
    headers: {
      "Set-Cookie": await setFlash(context, {
        kind: "success",
        message: enabled
          ? "Care-note digests are on."
          : "Care-note digests are off. Safety concerns still reach you at once.",
      }),
    },
  });
}

export default function Settings() {
  const { email, notify_notes } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Settings" description={`Notices go to ${email}. They never contain patient information.`} />
      <section className="card" aria-labelledby="notices-title">
        <h2 id="notices-title">Email notices</h2>
        <Form method="post">
          <div className="field">
            <label className="check">
              <input type="checkbox" name="notifyNotes" value="yes" defaultChecked={notify_notes} /> Email me a digest
              of new care notes on my patients (at most one every 15 minutes)
            </label>
            <p className="hint">Safety concerns, schedule changes, invitations and reminders are always sent.</p>
          </div>
          <SubmitButton>Save</SubmitButton>
        </Form>
      </section>
    </>
  );
}
