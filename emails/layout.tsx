import { Body, Button, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export interface NoticeProps {
  preview: string;
  heading: string;
  children: ReactNode;
  action?: { label: string; href: string };
}

/**
 * Every Ember email is a short notice with a link into the portal. By rule no template receives
 * patient data: names, dates of birth, notes and scores stay behind sign-in.
 */
export function Notice({ preview, heading, children, action }: NoticeProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f6f5f2", fontFamily: "Helvetica, Arial, sans-serif", color: "#1f2328" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "32px", maxWidth: "560px", borderRadius: "8px" }}>
          <Text style={{ color: "#8a3b12", fontWeight: 700, margin: 0 }}>Ember Health · Provider Portal</Text>
          <Heading as="h1" style={{ fontSize: "22px" }}>
            {heading}
          </Heading>
          {children}
          {action ? (
            <Section style={{ margin: "24px 0" }}>
              <Button
                href={action.href}
                style={{ backgroundColor: "#8a3b12", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}
              >
                {action.label}
              </Button>
              <Text style={{ fontSize: "13px", color: "#57606a" }}>
                Or paste this link into your browser: {action.href}
              </Text>
            </Section>
          ) : null}
          <Text style={{ fontSize: "12px", color: "#57606a" }}>
            This notice contains no patient information. Sign in to the portal to see details. If you did not expect it,
            you can ignore it or tell your Ember care coordinator.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
