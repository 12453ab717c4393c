import { Link } from "@tanstack/react-router";
import { permissionsOf, type Me } from "./permissions";

export { useMe, type Me } from "./permissions";

/** The header's navigation and the caller's name and role; links a role cannot use are left out. */
export function SiteNav({ me }: { me: Me | undefined }) {
  const can = permissionsOf(me);
  return (
    <>
      <nav aria-label="main">
        <Link to="/">Jobs</Link>
        {can.operate && <Link to="/new">New job</Link>}
        <Link to="/campaigns">Campaigns</Link>
        <Link to="/prompts">Saved prompts</Link>
        <Link to="/schedules">Schedules</Link>
        <Link to="/spend">Spend</Link>
        {can.administer && <Link to="/audit">Audit log</Link>}
      </nav>
      {me && (
        <p className="identity" aria-label="signed in as">
          {me.name} <span className="badge">{me.role}</span>
        </p>
      )}
    </>
  );
}
