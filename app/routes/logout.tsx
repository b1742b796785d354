import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getActor, sessionCookieHeader } from "~/auth/session.server";
import { signOut } from "~/auth/sign-in.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor) await signOut(context, actor);
  return redirect("/login", { headers: { "Set-Cookie": sessionCookieHeader(context, null) } });
}
