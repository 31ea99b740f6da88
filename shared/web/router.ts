/**
 * The web app's route table: every page and form of a signed-in person, by module. The handler
 * (handler.ts) signs the person in and checks the form token; then the first route here with the
 * request's method and path answers, after its own check of who may open it.
 */
import type { WebRoute } from "./context.ts";
import { auditRoutes } from "./pages/audit.ts";
import { calendarRoutes } from "./pages/calendar.ts";
import { caseRoutes } from "./pages/cases.ts";
import { contactRoutes } from "./pages/contacts.ts";
import { flaggedRoutes } from "./pages/flagged.ts";
import { importRoutes } from "./pages/imports.ts";
import { keyRoutes } from "./pages/keys.ts";
import { officeRoutes } from "./pages/office.ts";
import { officeMenuRoutes } from "./pages/office-menu.ts";
import { pupilFormRoutes } from "./pages/pupil-forms.ts";
import { pupilRoutes } from "./pages/pupils.ts";
import { registerRoutes } from "./pages/register.ts";
import { rosterRoutes } from "./pages/roster.ts";
import { schoolSystemFormRoutes } from "./pages/school-system-form.ts";
import { schoolSystemRoutes } from "./pages/school-systems.ts";
import { statisticsPageRoutes } from "./pages/statistics.ts";
import { sweepRoutes } from "./pages/sweep.ts";

export const PAGES: readonly WebRoute[] = [
  ...caseRoutes,
  ...pupilRoutes,
  ...pupilFormRoutes,
  ...auditRoutes,
  ...rosterRoutes,
  ...contactRoutes,
  ...keyRoutes,
  ...officeMenuRoutes,
  ...officeRoutes,
  ...sweepRoutes,
  ...registerRoutes,
  ...calendarRoutes,
  ...flaggedRoutes,
  ...importRoutes,
  ...schoolSystemRoutes,
  ...schoolSystemFormRoutes,
  ...statisticsPageRoutes,
];
