import { refusalFor, resultFor } from "~/lib/form-answer";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { getFormProps, useForm } from "@conform-to/react";
import { useActionData, useLoaderData } from "@remix-run/react";
import type { z } from "zod";
import { auditContextOf, requireActor } from "~/auth/session.server";
import { DataTable } from "~/components/data-table";
import { Form, FormError, SubmitButton, TextAreaField, TextField } from "~/components/form";
import { When } from "~/components/time";
import { EmptyState, PageHeader } from "~/components/ui";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm } from "~/lib/forms.server";
import { dispatchIntent } from "~/lib/intents.server";
import {
  addToReviewList,
  MedicationError,
  retireFromReviewList,
  reviewList,
} from "~/modules/medications/medications.server";
import { retireListEntrySchema, reviewListEntrySchema } from "~/modules/medications/schema";

export const meta: MetaFunction = () => [{ title: "Medications to review · Ember Health Provider Portal" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context, ["admin"]);
  return { entries: await reviewList(context.db) };
}

type Answer = FormAnswer | undefined;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context, ["admin"]);
  const audit = auditContextOf(context, actor);
  const formData = await request.formData();
  const handle =
    <S extends z.ZodType>(intent: string, schema: S, run: (value: z.output<S>) => Promise<string>) =>
    () =>
      answerForm(formData, { intent, schema, refusals: [MedicationError] }, async (value) =>
        redirectWithFlash(context, "/admin/medications", { kind: "success", message: await run(value) }),
      );
  return dispatchIntent(
    formData,
    {
      add: handle("add", reviewListEntrySchema, async (entry) => {
        await addToReviewList(context.db, audit, entry);
        return `${entry.name} added: patients' medications matching it are now marked to review.`;
      }),
      retire: handle("retire", retireListEntrySchema, async ({ entryId }) => {
        await retireFromReviewList(context.db, audit, entryId, context.now());
        return "Entry removed from the list.";
      }),
    },
    undefined,
  );
}

export default function MedicationsToReview() {
  const { entries } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer;
  const [form, fields] = useForm<z.input<typeof reviewListEntrySchema>>({
    id: "add-review-entry",
    lastResult: resultFor(answer, "add"),
    shouldValidate: "onBlur",
  });
  const retireError = refusalFor(answer, "retire");
  return (
    <>
      <PageHeader
        title="Medications to review before ketamine"
        description="A patient's medication whose name contains one of an entry's names is labelled “to review” on the pre-infusion check until a clinician reviews it for the course. A label for the clinician, not advice."
      />
      <FormError message={retireError} />
      <DataTable
        caption="The clinic's list"
        rows={entries}
        rowKey={(e) => e.id}
        empty={
          <EmptyState title="The list is empty">
            <p>No medication is labelled to review. Add an entry below.</p>
          </EmptyState>
        }
        columns={[
          { header: "Entry", cell: (e) => <strong>{e.name}</strong> },
          { header: "Names it matches", cell: (e) => e.match_terms.join(", ") },
          { header: "Added", cell: (e) => <When at={e.added_at} /> },
          {
            header: "Change",
            cell: (e) => (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="retire" />
                <input type="hidden" name="entryId" value={e.id} />
                <SubmitButton className="button button-small button-secondary">Remove {e.name}</SubmitButton>
              </Form>
            ),
          },
        ]}
      />
      <section className="card" aria-labelledby="add-entry-title">
        <h2 id="add-entry-title">Add an entry</h2>
        <Form method="post" {...getFormProps(form)}>
          <FormError form={form} />
          <input type="hidden" name="intent" value="add" />
          <TextField label="Entry" hint="For example Opioids" field={fields.name} autoComplete="off" />
          <TextAreaField
            label="Names it matches"
            hint="Generic and brand names, separated by commas; at least 3 letters each"
            field={fields.terms}
            rows={3}
          />
          <SubmitButton pendingText="Saving…">Add to the list</SubmitButton>
        </Form>
      </section>
    </>
  );
}
