import type { ReactNode } from "react";
import { PageHeading } from "../ui/PageHeading";
import { useMe } from "./permissions";

/** A page for operators and admins: until GET /api/me answers it waits; a viewer is told which role it needs (and the page asks the API nothing more). */
export function OperatorsOnly({ title, needs, children }: { title: string; needs: string; children: ReactNode }) {
  const me = useMe();
  if (!me) return <main><PageHeading title={title} /><p className="loading">Loading…</p></main>;
  if (!me.canOperate) {
    return (
      <main>
        <PageHeading title={title} />
        <p className="note">{needs} needs the operator role; the key {me.name} has the {me.role} role.</p>
      </main>
    );
  }
  return children;
}
