import { createElement, type ComponentType } from "react";
import { render } from "@react-email/render";
import { templates, type TemplateName, type TemplateProps } from "../../emails/index";
import type { Executor } from "~/modules/audit/audit.server";

export interface QueuedEmail<N extends TemplateName> {
  template: N;
  to: string;
  props: TemplateProps<N>;
}

/**
 * Renders a message and queues it in the caller's transaction: if the change that causes the
 * email rolls back, so does the email. The row's id is the delivery's idempotency key.
 */
export async function queueEmail<N extends TemplateName>(db: Executor, email: QueuedEmail<N>): Promise<string> {
  const template = templates[email.template] as unknown as {
    component: ComponentType<TemplateProps<N>>;
    subject: (p: TemplateProps<N>) => string;
  };
  const element = createElement(template.component as ComponentType<object>, email.props as object);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  const row = await db
    .insertInto("email_outbox")
    .values({ template: email.template, to_address: email.to, subject: template.subject(email.props), html, text })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
