import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Form, FormError, SubmitButton, TextField } from "~/components/form";
import { When } from "~/components/time";
import { Badge, EmptyState, PageHeader } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import { dispatchIntent, refuseSubmission } from "~/lib/intents.server";
import { parseSubmission } from "~/lib/forms.server";
import { requireUuid } from "~/lib/params";
import { recordAudit, type AuditContext } from "~/audit/audit.server";
import { offersForProvider, respondToOffer } from "~/modules/referrals/offers.server";
import { ReferralError } from "~/modules/referrals/referrals.server";
import { declineSchema } from "~/modules/referrals/forms.server";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

export const meta: MetaFunction = () => [{ title: "Referral offers · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context, OUTSIDE_PROVIDER_ROLES);
  const offers = await offersForProvider(context.db, actor, context.now());
  await recordAudit(context.db, auditContextOf(context, actor), {
    action: "referral.offers_view",
    entityType: "referral_offer",
    detail: { offerIds: offers.map((o) => o.id) },
  });
  return { offers };
}

// A refusal of the whole request shows above the offers; a decline's field messages show in its own form.
const refuse = (formData: FormData, refusal: { formError?: string; result?: SubmissionResult }, status?: number) =>
  refuseSubmission(formData, String(formData.get("offerId") ?? ""), refusal, status);

interface OfferAnswer {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
}

const OFFER_INTENTS = {
  async accept({ context, formData, actor, audit }: OfferAnswer) {
    const offerId = requireUuid(formData.get("offerId"));
    await respondToOffer(context.db, actor, audit, {
      offerId,
      accept: true,
      now: context.now(),
      appUrl: context.config.appUrl,
    });
    context.wakeMailer();
    return redirectWithFlash(context, "/offers", {
      kind: "success",
      message:
        "Referral accepted: you are on the patient's care team. Their record opens to you once Ember records the patient's release of information naming you; you will get an email then.",
    });
  },
  async decline({ context, formData, actor, audit }: OfferAnswer) {
    const submission = parseSubmission(formData, declineSchema);
    if (submission.status !== "success")
      return refuse(formData, { result: submission.reply() }, submission.status ? 400 : 200);
    await respondToOffer(context.db, actor, audit, {
      offerId: submission.value.offerId,
      accept: false,
      reason: submission.value.reason,
      now: context.now(),
      appUrl: context.config.appUrl,
    });
    return redirectWithFlash(context, "/offers", {
      kind: "success",
      message: "Referral declined. Thank you for answering quickly.",
    });
  },
};

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, OUTSIDE_PROVIDER_ROLES);
  const formData = await request.formData();
  try {
    return await dispatchIntent(formData, OFFER_INTENTS, {
      context,
      formData,
      actor,
      audit: auditContextOf(context, actor),
    });
  } catch (error) {
    if (error instanceof ReferralError) return refuse(formData, { formError: error.message }, error.status);
    throw error;
  }
}

function DeclineForm({ offerId, lastResult }: { offerId: string; lastResult: SubmissionResult | null }) {
  const [form, fields] = useForm<z.input<typeof declineSchema>>({
    id: `decline-${offerId}`,
    lastResult,
    shouldValidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="decline" />
      <input type="hidden" name="offerId" value={offerId} />
      <TextField label="Reason for declining" field={fields.reason} />
      <SubmitButton className="button button-secondary">Decline</SubmitButton>
    </Form>
  );
}

export default function Offers() {
  const { offers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Referral offers"
        description="Patients Ember would like to refer to you for trauma-focused therapy. Before you accept you see what you need to decide (modality, place, coverage, language, timing); the patient's name and clinical details after you accept."
      />
      <FormError message={actionData?.formError} />
      {offers.length === 0 ? (
        <EmptyState title="No offers">
          <p>
            When Ember&apos;s coordinators match a patient to you, the offer appears here and you get an email notice.
            Keep your <Link to="/profile">directory profile</Link> current so matches fit.
          </p>
        </EmptyState>
      ) : (
        offers.map((o) => (
          <article
            key={o.id}
            className="card"
            aria-label={`Referral offer from ${new Date(o.offered_at).toDateString()}`}
          >
            <h2>
              {o.patient?.accessOpen ? (
                <Link to={`/patients/${o.patient.id}`}>{o.patient.name}</Link>
              ) : (
                (o.patient?.name ?? "Referral offer")
              )}{" "}
              <Badge tone={o.status === "open" ? "warn" : o.status === "accepted" ? "good" : "neutral"}>
                {o.status}
              </Badge>
            </h2>
            <dl className="facts">
              <dt>Needs</dt>
              <dd>{o.summary.modality === "any" ? "Any of WET, CPT or PE" : o.summary.modality}</dd>
              <dt>Place</dt>
              <dd>
                {o.summary.setting === "telehealth"
                  ? "Telehealth"
                  : o.summary.setting === "in_person"
                    ? `In person, ${o.summary.borough}`
                    : `In person (${o.summary.borough ?? "any borough"}) or telehealth`}
              </dd>
              <dt>Coverage · language</dt>
              <dd>
                {o.summary.insurance} · {o.summary.language}
              </dd>
              <dt>Timing</dt>
              <dd>
                {o.summary.urgency}
                {o.summary.needsWindow ? "; should be seen in the days after the first planned infusion" : ""}
              </dd>
              <dt>Offered</dt>
              <dd>
                <When at={o.offered_at} />
                {o.status === "open" ? (
                  <>
                    {" "}
                    · answer by <When at={o.expires_at} />
                  </>
                ) : null}
              </dd>
            </dl>
            {o.patient && !o.patient.accessOpen ? (
              <p>
                <Link to={`/patients/${o.patient.id}`}>Waiting for the release of information</Link>: the record opens
                to you once Ember records the patient&apos;s release naming you, and you will get an email then.
              </p>
            ) : null}
            {o.status === "open" ? (
              <div className="grid">
                <Form method="post">
                  <input type="hidden" name="offerId" value={o.id} />
                  <button type="submit" name="intent" value="accept" className="button">
                    Accept the referral
                  </button>
                </Form>
                <DeclineForm
                  offerId={o.id}
                  lastResult={actionData?.intent === "decline" && actionData.target === o.id ? actionData.result : null}
                />
              </div>
            ) : null}
          </article>
        ))
      )}
    </>
  );
}
