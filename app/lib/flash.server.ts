import { createCookie, redirect, type Cookie } from "@remix-run/node";
import type { Config } from "~/env.server";

export interface Flash {
  kind: "success" | "info" | "error";
  message: string;
}

// Signed, so a message the portal shows as its own ("Your password was changed") cannot be
// planted by another site or script writing the cookie. Never carries patient data.
const cookies = new WeakMap<Config, Cookie>();
function flashCookie({ config }: { config: Config }): Cookie {
  let cookie = cookies.get(config);
  if (!cookie) {
    cookie = createCookie("ember_flash", {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 60,
      secure: config.production,
      secrets: [config.cookieSecret],
    });
    cookies.set(config, cookie);
  }
  return cookie;
}

export async function setFlash(context: { config: Config }, flash: Flash): Promise<string> {
  return flashCookie(context).serialize(flash);
}

/** Post/redirect/get: after a change, go to `url` and say once what happened there. */
export async function redirectWithFlash(context: { config: Config }, url: string, flash: Flash) {
  return redirect(url, { headers: { "Set-Cookie": await setFlash(context, flash) } });
}

export async function readFlash(
  request: Request,
  context: { config: Config },
): Promise<{ flash: Flash | null; clear: string | null }> {
  const cookie = flashCookie(context);
  const value = (await cookie.parse(request.headers.get("Cookie"))) as Flash | null;
  if (!value || typeof value.message !== "string") return { flash: null, clear: null };
  const kind = value.kind === "success" || value.kind === "error" ? value.kind : "info";
  return { flash: { kind, message: value.message.slice(0, 300) }, clear: await cookie.serialize("", { maxAge: 0 }) };
}
