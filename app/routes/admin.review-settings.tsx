import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { Form, FormError, SelectField, SubmitButton, TextField } from "~/components/form";
import { PageHeader } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import { resultFor, type FormAnswer } from "~/lib/form-answer";
import { answerForm } from "~/lib/forms.server";
import { reviewSettingsSchema } from "~/modules/notes/forms.server";
import { ReviewSettingsError, reviewSettings, saveReviewSettings } from "~/modules/notes/review-settings.server";

export const meta: MetaFunction = () => [{ title: "Review settings · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["admin"]);
  return reviewSettings(context.db);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const formData = await request.formData();
  return answerForm(
    formData,
    { intent: "save", schema: reviewSettingsSchema, refusals: [ReviewSettingsError] },
    async (value) => {
      await saveReviewSettings(context.db, auditContextOf(context, actor), {
        fallbackReviewerId: value.fallbackReviewerId,
        reviewStaleDays: value.reviewStaleDays,
      });
      return redirectWithFlash(context, "/admin/review-settings", {
        kind: "success",
        message: "Review settings saved.",
      });
    },
  );
}

export default function ReviewSettings() {
  const settings = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as FormAnswer | undefined;
  const [form, fields] = useForm<z.input<typeof reviewSettingsSchema>>({
    id: "review-settings",
    lastResult: resultFor(answer, "save"),
    shouldValidate: "onBlur",
    defaultValue: {
      fallbackReviewerId: settings.fallback_reviewer_id ?? "",
      reviewStaleDays: String(settings.review_stale_days),
    },
  });
  return (
    <>
      <PageHeader
        title="Review settings"
        description="Who reviews care notes when a patient's care team has no psychiatrist, and when a review still waiting reaches the coordinators' work list."
      />
      <section className="card" aria-labelledby="review-settings-title">
        <h2 id="review-settings-title">Psychiatrist review</h2>
        <Form method="post" {...getFormProps(form)}>
          <FormError form={form} />
          <input type="hidden" name="intent" value="save" />
          <SelectField
            label="Fallback reviewer"
            field={fields.fallbackReviewerId}
            options={settings.psychiatrists.map((p) => ({
              value: p.id,
              label: p.organisation ? `${p.name} (${p.organisation})` : p.name,
            }))}
            placeholder="Nobody"
            hint="Notes sent for review on a patient whose care team has no other psychiatrist with access to care notes go to this psychiatrist's review queue."
          />
          <TextField
            label="Days a review may wait before it shows on the work list"
            field={fields.reviewStaleDays}
            type="number"
            min={1}
            max={60}
            inputMode="numeric"
          />
          <SubmitButton pendingText="Saving…">Save</SubmitButton>
        </Form>
      </section>
    </>
  );
}
