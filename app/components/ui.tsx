import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p className="lead">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      <div>{children}</div>
    </div>
  );
}

export function Alert({ kind, children }: { kind: "success" | "info" | "error" | "warning"; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Badge({
  tone = "neutral",
  children,
}: {
  tone?: "neutral" | "good" | "warn" | "bad";
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Previous and next links that keep the rest of the query (search terms, filters); `param` names the page in the query string when a page has several lists. */
export function Pagination({
  page,
  hasNext,
  search,
  label,
  param = "page",
}: {
  page: number;
  hasNext: boolean;
  search: string;
  label: string;
  param?: string;
}) {
  if (page <= 1 && !hasNext) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(search);
    params.set(param, String(p));
    return `?${params}`;
  };
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? <Link to={hrefFor(page - 1)}>← Previous</Link> : <span aria-hidden="true" />}
      <span>Page {page}</span>
      {hasNext ? <Link to={hrefFor(page + 1)}>Next →</Link> : <span aria-hidden="true" />}
    </nav>
  );
}
