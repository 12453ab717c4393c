import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Link, Outlet } from "@tanstack/react-router";
import { validateAuditSearch } from "./access/auditSearch";
import { validateSpendSearch } from "./access/spendSearch";
import type { JobStatus } from "./api/client";
import { SiteNav, useMe } from "./access/Identity";
import { PageHeading } from "./ui/PageHeading";
import { JobsPage, type JobsSearch } from "./jobs/JobsPage";
import { SignInPage } from "./access/SignInPage";

// The jobs list is the first page; the others (and their renderers) load when visited.
const JobPage = lazyRouteComponent(() => import("./jobs/JobPage"), "JobPage");
const NewJobPage = lazyRouteComponent(() => import("./jobs/NewJobPage"), "NewJobPage");
const AuditPage = lazyRouteComponent(() => import("./access/AuditPage"), "AuditPage");
const SpendPage = lazyRouteComponent(() => import("./access/SpendPage"), "SpendPage");
const PromptsPage = lazyRouteComponent(() => import("./prompts/PromptsPage"), "PromptsPage");
const SchedulesPage = lazyRouteComponent(() => import("./schedules/SchedulesPage"), "SchedulesPage");
const CampaignsPage = lazyRouteComponent(() => import("./campaigns/CampaignsPage"), "CampaignsPage");
const NewCampaignPage = lazyRouteComponent(() => import("./campaigns/NewCampaignPage"), "NewCampaignPage");
const CampaignPage = lazyRouteComponent(() => import("./campaigns/CampaignPage"), "CampaignPage");

const root = createRootRoute({
  component: Root,
  notFoundComponent: NotFound,
});

function Root() {
  return (
    <>
      <header className="site">
        <Link to="/" className="brand">Cody Batch</Link>
        <SiteNav me={useMe()} />
      </header>
      <Outlet />
    </>
  );
}

function NotFound() {
  return (
    <main>
      <PageHeading title="Page not found" />
      <p className="empty">There is no such page. <Link to="/">Back to the jobs</Link>.</p>
    </main>
  );
}

const jobs = createRoute({
  getParentRoute: () => root,
  path: "/",
  validateSearch: (search: Record<string, unknown>): JobsSearch => ({
    status: typeof search.status === "string" ? (search.status as JobStatus) : undefined,
    q: typeof search.q === "string" ? search.q : undefined,
    cursor: typeof search.cursor === "string" ? search.cursor : undefined,
  }),
  component: JobsPage,
});
const newJob = createRoute({ getParentRoute: () => root, path: "/new", component: NewJobPage });
const job = createRoute({ getParentRoute: () => root, path: "/jobs/$id", component: JobPage });
const campaigns = createRoute({ getParentRoute: () => root, path: "/campaigns", component: CampaignsPage });
const newCampaign = createRoute({ getParentRoute: () => root, path: "/campaigns/new", component: NewCampaignPage });
const campaign = createRoute({ getParentRoute: () => root, path: "/campaigns/$id", component: CampaignPage });
const schedules = createRoute({ getParentRoute: () => root, path: "/schedules", component: SchedulesPage });
const prompts = createRoute({ getParentRoute: () => root, path: "/prompts", component: PromptsPage });
const audit = createRoute({ getParentRoute: () => root, path: "/audit", validateSearch: validateAuditSearch, component: AuditPage });
const spend = createRoute({ getParentRoute: () => root, path: "/spend", validateSearch: validateSpendSearch, component: SpendPage });
const signIn = createRoute({
  getParentRoute: () => root,
  path: "/sign-in",
  validateSearch: (search: Record<string, unknown>) => ({ next: typeof search.next === "string" ? search.next : undefined }),
  component: SignInPage,
});

export const router = createRouter({ routeTree: root.addChildren([jobs, newJob, job, campaigns, newCampaign, campaign, schedules, prompts, audit, spend, signIn]) });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
