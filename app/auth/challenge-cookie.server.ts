import { createCookie } from "@remix-run/node";
import { CHALLENGE_MINUTES } from "./mfa.server";

/** Carries the pending second-factor challenge between the password and code steps. */
export function challengeCookie(secure: boolean) {
  return createCookie("ember_mfa", {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/login",
    maxAge: CHALLENGE_MINUTES * 60,
  });
}
