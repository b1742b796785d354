import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/auth/session.server";
import { ProfileForm } from "~/components/profile-form";
import { PageHeader } from "~/components/ui";
import { requireUuid } from "~/lib/params";
import { formatDate } from "~/lib/time";
import { loadProfilePage, saveProfilePage } from "./profile/profile-page.server";

export const meta: MetaFunction = () => [{ title: "Provider profile · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireActor(request, context, ["coordinator"]);
  return loadProfilePage(context, requireUuid(params.userId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator"]);
  const userId = requireUuid(params.userId);
  return saveProfilePage(request, context, actor, userId, `/providers/${userId}`);
}

export default function ProviderProfile() {
  const profile = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title={profile.name}
        description={`${profile.organisation || "Independent practice"} · ${profile.licence_type ?? "licence not on file"}${profile.licence_state ? ` (${profile.licence_state}), expires ${formatDate(profile.licence_expires_on!)}` : ""}`}
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
