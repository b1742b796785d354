import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { isAwaitingRelease, WaitingForRelease } from "./awaiting-release";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "That request could not be read", body: "Go back, check what you entered and try again." },
  403: {
    title: "You do not have access to this page",
    body: "If you think you should, ask your Ember care coordinator or an administrator.",
  },
  404: {
    title: "Page not found",
    body: "The page does not exist, or you do not have access to it. Check the link, or go back to your home page.",
  },
  503: {
    title: "The portal is briefly unavailable",
    body: "We could not reach the database. Nothing you saved is lost: wait a minute and try again.",
  },
};

/** One error page for every route: says what happened and what to do, never shows internals. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && isAwaitingRelease(error.data))
    return <WaitingForRelease waiting={error.data.awaitingRelease} />;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = MESSAGES[status] ?? {
    title: "Something went wrong on our side",
    body: "Your last change may not have been saved. Try again; if it keeps happening, tell Ember operations the time it happened.",
  };
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">Error {status}</p>
      <h1 id="error-title">{message.title}</h1>
      <p>{message.body}</p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </section>
  );
}
