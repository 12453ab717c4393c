import type { components } from "../api/schema";

export type Schedule = components["schemas"]["ScheduleResponse"];
export type ScheduleFiring = components["schemas"]["ScheduleFiring"];
export type NotificationDelivery = components["schemas"]["NotificationDelivery"];

/** A date and time in the schedule's own time zone, with the zone's name. */
export function inZone(at: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }).format(new Date(at));
  } catch {
    return at;
  }
}

export const outcomeText: Record<ScheduleFiring["outcome"], string> = {
  started: "started",
  skippedOverlap: "skipped (previous job still running)",
  missed: "missed",
  failed: "failed",
};
