import { createElement, type ComponentType } from "react";
import { render } from "@react-email/render";
import { templates, type TemplateName, type TemplateProps } from "../../emails/index";
import { openSecret, sealSecret } from "~/lib/secrets.server";
import type { Executor } from "../../db/engine";

export interface QueuedEmail<N extends TemplateName> {
  template: N;
  to: string;
  props: TemplateProps<N>;
}

/**
 * Messages whose link opens an account (accepts an invitation, sets a password). Their row never
 * holds the link: the props are sealed under SECRETS_KEY, rendered only when the worker sends,
 * and erased once the message is sent or given up on.
 */
export const SECRET_LINK_TEMPLATES = ["invitation", "password-reset"] as const satisfies readonly TemplateName[];
export type SecretLinkTemplate = (typeof SECRET_LINK_TEMPLATES)[number];
export type PlainTemplate = Exclude<TemplateName, SecretLinkTemplate>;

const isSecretLink = (name: string) => (SECRET_LINK_TEMPLATES as readonly string[]).includes(name);

const templateOf = (name: TemplateName) =>
  templates[name] as unknown as { component: ComponentType<object>; subject: (p: object) => string };

async function renderEmail(
  name: TemplateName,
  props: object,
): Promise<{ subject: string; html: string; text: string }> {
  const template = templateOf(name);
  const element = createElement(template.component, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: template.subject(props), html, text };
}

/**
 * Queues a message in the caller's transaction: if the change that causes the email rolls back,
 * so does the email. The row's id is the delivery's idempotency key. A plain message is rendered
 * now; a secret-link one is sealed with `secretsKey` and rendered at send time.
 */
export async function queueEmail<N extends PlainTemplate>(db: Executor, email: QueuedEmail<N>): Promise<string>;
export async function queueEmail<N extends SecretLinkTemplate>(
  db: Executor,
  email: QueuedEmail<N>,
  secretsKey: Buffer,
): Promise<string>;
export async function queueEmail(db: Executor, email: QueuedEmail<TemplateName>, secretsKey?: Buffer): Promise<string> {
  const secret = isSecretLink(email.template);
  if (secret && !secretsKey) throw new Error(`the ${email.template} email carries a secret link and must be sealed`);
  const { subject, html, text } = secret
    ? { subject: templateOf(email.template).subject(email.props), html: "", text: "" }
    : await renderEmail(email.template, email.props);
  const row = await db
    .insertInto("email_outbox")
    .values({
      template: email.template,
      to_address: email.to,
      subject,
      html,
      text,
      sealed_props: secret ? sealSecret(secretsKey!, JSON.stringify(email.props)) : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The message as it goes out: a sealed one is opened and rendered now. */
export async function composeEmail(
  secretsKey: Buffer,
  row: { template: string; subject: string; html: string; text: string; sealed_props: string | null },
): Promise<{ subject: string; html: string; text: string }> {
  if (!isSecretLink(row.template)) return row;
  if (!row.sealed_props) throw new Error("the sealed content of this message was already erased");
  return renderEmail(
    row.template as SecretLinkTemplate,
    JSON.parse(openSecret(secretsKey, row.sealed_props)) as object,
  );
}
