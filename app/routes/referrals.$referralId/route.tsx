import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Alert, Badge, PageHeader } from "~/components/ui";
import { dispatchIntent } from "~/lib/intents.server";
import { requireUuid } from "~/lib/params";
import { clinicToday } from "~/lib/time";
import { recordAudit } from "~/audit/audit.server";
import { referralDetail } from "~/modules/referrals/detail.server";
import { getReferral, ReferralError } from "~/modules/referrals/referrals.server";
import { matchReferral } from "~/modules/referrals/match.server";
import { cancelReferralSchema } from "~/modules/referrals/forms.server";
import { refuse, REFERRAL_INTENTS } from "./actions.server";

export const meta: MetaFunction = () => [{ title: "Referral · Ember Health Provider Portal" }];

async function open(
  request: Request,
  context: Parameters<typeof requireActor>[1],
  referralId: string | undefined,
  roles: readonly ("coordinator" | "admin")[],
) {
  const actor = await requireActor(request, context, roles);
  const referral = await getReferral(context.db, requireUuid(referralId));
  if (!referral) throw new Response("Not found", { status: 404 });
  return { actor, referral, audit: auditContextOf(context, actor) };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, ["coordinator", "admin"]);
  const detail = await referralDetail(context.db, requireUuid(params.referralId), clinicToday(context.now()));
  if (!detail) throw new Response("Not found", { status: 404 });
  const { referral } = detail;
  const match =
    referral.status === "open" || referral.status === "offered"
      ? await matchReferral(context.db, referral, context.now())
      : null;
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "referral.view",
    entityType: "referral",
    entityId: referral.id,
    patientId: referral.patient_id,
  });
  return { ...detail, match };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, referral, audit } = await open(request, context, params.referralId, ["coordinator"]);
  const formData = await request.formData();
  const change = { context, formData, actor, audit, referralId: referral.id, now: context.now() };
  try {
    return await dispatchIntent(formData, REFERRAL_INTENTS, change);
  } catch (error) {
    if (error instanceof ReferralError) return refuse(formData, { formError: error.message }, error.status);
    throw error;
  }
}

const STATUS_TONE = {
  open: "warn",
  offered: "warn",
  accepted: "neutral",
  engaged: "good",
  closed: "good",
  cancelled: "bad",
} as const;

function CancelReferralForm({ lastResult }: { lastResult: SubmissionResult | null }) {
  const [form, fields] = useForm<z.input<typeof cancelReferralSchema>>({
    id: "cancel-referral",
    lastResult,
    shouldValidate: "onBlur",
  });
  return (
    <details className="card" open={form.status === "error" || undefined}>
      <summary>Cancel this referral</summary>
      <Form method="post" {...getFormProps(form)} noValidate>
        <input type="hidden" name="intent" value="cancel" />
        <TextField label="Reason" field={fields.reason} />
        <SubmitButton className="button button-danger">Cancel referral</SubmitButton>
      </Form>
    </details>
  );
}

export default function ReferralDetail() {
  const { referral, patient, events, offers, match, acceptedBy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const openOffers = offers.filter((o) => o.status === "open");
  return (
    <>
      <PageHeader
        title={`Referral for ${patient.last_name}, ${patient.first_name}`}
        description={
          <>
            {patient.record_number} · {referral.modality === "any" ? "any of WET, CPT, PE" : referral.modality} ·{" "}
            {referral.setting.replace("_", " ")}
            {referral.borough ? ` · ${referral.borough}` : ""} · {referral.insurance} · {referral.language} ·{" "}
            {referral.urgency}
            {referral.needs_window ? " · must fit the first therapy window" : ""} ·{" "}
            <Badge tone={STATUS_TONE[referral.status]}>{referral.status}</Badge>
          </>
        }
        actions={<Link to={`/patients/${patient.id}`}>Patient record</Link>}
      />
      <FormError message={actionData?.formError} />
      {referral.status === "accepted" && acceptedBy && !acceptedBy.releaseCurrent ? (
        <Alert kind="info">
          <strong>Next step:</strong>{" "}
          <Link to={`/patients/${patient.id}/care-team`}>
            Record the release of information naming {acceptedBy.name} on the care team
          </Link>
          : they accepted and see the patient once it is recorded.
        </Alert>
      ) : null}
      {offers.length ? (
        <section className="card" aria-labelledby="offers-title">
          <h2 id="offers-title">Offers</h2>
          <ul>
            {offers.map((o) => (
              <li key={o.id}>
                {o.provider_name}: <Badge>{o.status}</Badge> offered <When at={o.offered_at} />
                {o.status === "open" ? (
                  <>
                    , expires <When at={o.expires_at} />
                  </>
                ) : null}
                {o.decline_reason ? ` — “${o.decline_reason}”` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {match ? (
        <section aria-labelledby="candidates-title">
          <h2 id="candidates-title">Ranked candidates</h2>
          <p className="muted">
            {match.ranked.length} of {match.considered} providers who pass the hard filters (licence valid in New York,
            accepting new patients, an open slot, takes {referral.insurance}).
            {match.needs.windowDays
              ? ` The first therapy window falls on ${match.needs.windowDays.join(", ")}.`
              : referral.needs_window
                ? " No infusion is scheduled yet, so timing is not scored."
                : ""}
          </p>
          {openOffers.length ? (
            <Alert kind="info">
              An offer is open. To offer to another candidate at the same time, tick “offer to several”.
            </Alert>
          ) : null}
          {match.ranked.length === 0 ? (
            <Alert kind="warning">
              No provider passes the hard filters. Check the coverage and language, or ask providers to update their
              directory profiles.
            </Alert>
          ) : (
            <ol className="candidates">
              {match.ranked.map((r) => (
                <li key={r.candidate.userId} className="card">
                  <h3>
                    {r.candidate.name} <Badge tone="good">{r.score} / 100</Badge>
                  </h3>
                  <ul aria-label={`Why ${r.candidate.name} ranks here`}>
                    {r.reasons.map((why) => (
                      <li key={why}>{why}</li>
                    ))}
                  </ul>
                  <Form method="post" className="inline-form" aria-label={`Offer to ${r.candidate.name}`}>
                    <input type="hidden" name="intent" value="offer" />
                    <input type="hidden" name="providerId" value={r.candidate.userId} />
                    {openOffers.length ? (
                      <label className="check">
                        <input type="checkbox" name="allowSeveral" value="yes" /> offer to several
                      </label>
                    ) : null}
                    <button type="submit" className="button">
                      Offer to {r.candidate.name}
                    </button>
                  </Form>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}

      {referral.status === "engaged" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="close" />
          <SubmitButton>Close the loop</SubmitButton>
        </Form>
      ) : null}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol>
          {events.map((e) => (
            <li key={e.id}>
              <When at={e.at} />: {e.from_status ? `${e.from_status} → ` : ""}
              {e.to_status} by {e.actor_name ?? "the portal"}
              {e.note ? ` (${e.note})` : ""}
            </li>
          ))}
        </ol>
      </section>

      {referral.status !== "closed" && referral.status !== "cancelled" ? (
        <CancelReferralForm lastResult={actionData?.intent === "cancel" ? actionData.result : null} />
      ) : null}
    </>
  );
}
