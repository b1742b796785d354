import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Flash } from "~/lib/flash.server";
import { type Role, ROLE_LABELS } from "~/lib/roles";

/** What waits for an outside provider, shown beside the navigation's links. */
export interface NavCounts {
  offers: number;
  reviews: number;
}

export interface ShellUser {
  name: string;
  role: Role;
  counts?: NavCounts | null;
}

type NavItem = { to: string; label: string; count?: keyof NavCounts };

const COUNT_SAYS: Record<keyof NavCounts, string> = {
  offers: "waiting for your answer",
  reviews: "waiting for your review",
};

const NAV: Record<Role, NavItem[]> = {
  therapist: [
    { to: "/", label: "My patients" },
    { to: "/schedule", label: "Upcoming infusions" },
    { to: "/offers", label: "Referral offers", count: "offers" },
    { to: "/profile", label: "Directory profile" },
  ],
  psychiatrist: [
    { to: "/", label: "My patients" },
    { to: "/schedule", label: "Upcoming infusions" },
    { to: "/reviews", label: "Review queue", count: "reviews" },
    { to: "/offers", label: "Referral offers", count: "offers" },
    { to: "/profile", label: "Directory profile" },
  ],
  coordinator: [
    { to: "/", label: "Patients" },
    { to: "/work-list", label: "Work list" },
    { to: "/clinic-schedule", label: "Clinic schedule" },
    { to: "/referrals", label: "Referrals" },
    { to: "/providers", label: "Providers" },
    { to: "/patients/new", label: "New patient" },
    { to: "/invitations", label: "Invitations" },
  ],
  clinician: [
    { to: "/", label: "Patients" },
    { to: "/clinic-schedule", label: "Clinic schedule" },
  ],
  admin: [
    { to: "/", label: "Patients" },
    { to: "/work-list", label: "Work list" },
    { to: "/clinic-schedule", label: "Clinic schedule" },
    { to: "/invitations", label: "Invitations" },
    { to: "/admin/users", label: "Users" },
    { to: "/admin/medications", label: "Medications to review" },
    { to: "/admin/review-settings", label: "Review settings" },
    { to: "/admin/audit", label: "Audit log" },
    { to: "/admin/mail", label: "Mail delivery" },
  ],
};

/** The role's pages and the account links: in the header on a wide screen, behind "Menu" on a phone. */
function MainNav({ user }: { user: ShellUser }) {
  return (
    <>
      <nav aria-label="Main">
        <ul>
          {NAV[user.role].map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.to === "/"}>
                {item.label}
                {item.count && user.counts?.[item.count] ? (
                  <>
                    {" "}
                    <span className="nav-count">
                      {user.counts[item.count]}
                      <span className="visually-hidden"> {COUNT_SAYS[item.count]}</span>
                    </span>
                  </>
                ) : null}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="account">
        <span>
          {user.name} <small>· {ROLE_LABELS[user.role]}</small>
        </span>
        <Link to="/account">Account</Link>
        <Form method="post" action="/logout">
          <button type="submit" className="button-link">
            Sign out
          </button>
        </Form>
      </div>
    </>
  );
}

export function AppShell({
  user,
  flash,
  children,
}: {
  user: ShellUser | null;
  flash: Flash | null;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Ember Health <span>Provider Portal</span>
        </Link>
        {user ? (
          <>
            {/* Each is hidden by the stylesheet on the screens the other serves, so one menu shows at a time. */}
            <div className="wide-menu">
              <MainNav user={user} />
            </div>
            <details className="phone-menu">
              <summary>Menu</summary>
              <MainNav user={user} />
            </details>
          </>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {flash ? (
          <div className={`alert alert-${flash.kind}`} role="status">
            {flash.message}
          </div>
        ) : null}
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Ember Health · Brooklyn Heights · Chelsea · Tribeca · Upper East Side · Williamsburg · Times shown in New York
          time.
        </p>
      </footer>
    </>
  );
}
