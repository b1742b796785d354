import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppShell } from "~/components/app-shell";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { getActor } from "~/auth/session.server";
import { readFlash } from "~/lib/flash.server";
import { clinicToday } from "~/lib/time";
import { navigationCounts } from "~/modules/home/provider-agenda.server";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "Ember Health · Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [actor, { flash, clear }] = await Promise.all([getActor(request, context), readFlash(request, context)]);
  const now = context.now();
  // One statement, for outside providers only: offers waiting, and notes waiting for a psychiatrist's review.
  const counts = actor ? await navigationCounts(context.db, actor, { now, today: clinicToday(now) }) : null;
  return data(
    { user: actor ? { name: actor.name, role: actor.role, counts } : null, flash },
    clear ? { headers: { "Set-Cookie": clear } } : undefined,
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <AppShell user={root?.user ?? null} flash={root?.flash ?? null}>
          {children}
        </AppShell>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
