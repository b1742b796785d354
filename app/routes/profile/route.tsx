import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/auth/session.server";
import { ProfileForm } from "~/components/profile-form";
import { PageHeader } from "~/components/ui";
import { loadProfilePage, saveProfilePage } from "./profile-page.server";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Directory profile · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, OUTSIDE_PROVIDER_ROLES);
  return loadProfilePage(context, actor.id);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, OUTSIDE_PROVIDER_ROLES);
  return saveProfilePage(request, context, actor, actor.id, "/profile");
}

export default function Profile() {
  const profile = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Directory profile"
        description="Ember's care coordinators use this to refer patients who need a trauma-focused therapist. Keep your availability current."
      />
      <ProfileForm
        profile={profile}
        days={profile.available_days ?? []}
        times={profile.available_times ?? []}
        lastResult={actionData}
      />
    </>
  );
}
