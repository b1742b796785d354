import { createCookie } from "@remix-run/node";

export interface Flash {
  kind: "success" | "info" | "error";
  message: string;
}

// Flash messages say what just happened ("Invitation sent"); they never carry patient data.
const flashCookie = createCookie("ember_flash", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 });

export async function setFlash(flash: Flash): Promise<string> {
  return flashCookie.serialize(flash);
}

export async function readFlash(request: Request): Promise<{ flash: Flash | null; clear: string | null }> {
  const value = (await flashCookie.parse(request.headers.get("Cookie"))) as Flash | null;
  if (!value || typeof value.message !== "string") return { flash: null, clear: null };
  const kind = value.kind === "success" || value.kind === "error" ? value.kind : "info";
  return { flash: { kind, message: value.message.slice(0, 300) }, clear: await flashCookie.serialize("", { maxAge: 0 }) };
}
