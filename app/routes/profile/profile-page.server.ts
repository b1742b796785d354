import type { AppLoadContext } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { auditContextOf } from "~/auth/session.server";
import type { Actor } from "~/auth/actor";
import { setFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
import { getProfile, saveProfile } from "~/modules/referrals/profiles.server";
import { PROFILE_ARRAYS, profileSchema } from "~/modules/referrals/schema";

/** Shared by the provider's own profile page and the coordinator's edit page. */
export async function loadProfilePage(context: AppLoadContext, userId: string) {
  const profile = await getProfile(context.db, userId);
  if (!profile) throw new Response("Not found", { status: 404 });
  return profile;
}

export async function saveProfilePage(
  request: Request,
  context: AppLoadContext,
  actor: Actor,
  userId: string,
  back: string,
) {
  if (!(await getProfile(context.db, userId))) throw new Response("Not found", { status: 404 });
  const form = parseForm(profileSchema, await request.formData(), PROFILE_ARRAYS);
  if (!form.ok) return data(formState(form), { status: 400 });
  await saveProfile(context.db, auditContextOf(context, actor), { ...form.data, userId, now: context.now() });
  return redirect(back, {
    headers: { "Set-Cookie": await setFlash(context, { kind: "success", message: "Directory profile saved." }) },
  });
}
