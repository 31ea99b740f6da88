/** A case worker's cases (SPEC §4, §8): the list, a case's page and its forms, and the office's watch list. */
import { validate } from "../../http/middleware.ts";
import { problems, toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import { CASE_WORKERS, OFFICE, type WebRoute } from "../context.ts";
import { words } from "../i18n.ts";
import { messagePage } from "../pages.ts";
import { allPages } from "../paging.ts";
import { type CaseSummary, casePage, casesPage } from "./case-views.ts";
import { officeOf } from "./office.ts";
import type { PupilView } from "./pupil-views.ts";
import { unplacedCsv, unplacedPage } from "./unplaced-views.ts";

const casePath = (action: string) => new RegExp(`^/app/cases/(case_[\\w-]{1,64})${action}$`);

export const caseRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/cases",
    principals: CASE_WORKERS,
    handle: async (k, r) => {
      // The open and the acknowledged cases, every page of them (resolved ones are not asked for at all).
      const items: CaseSummary[] = [];
      for (const status of ["open", "acknowledged"] as const) {
        const { items: got } = await allPages(
          async (cursor) => (await k.ask("GET /v1/cases", {}, undefined, { status, limit: 500, cursor })).body,
        );
        items.push(...got.filter((c): c is CaseSummary => !("movedAway" in c)));
      }
      const pick = (key: string) => r.query.get(key) || undefined;
      const filter = { kind: pick("kind"), severity: pick("severity"), status: pick("status") };
      return k.page(200, casesPage(k.view(words[k.lang].myCases), items, filter));
    },
  },
  {
    method: "GET",
    path: casePath(""),
    principals: CASE_WORKERS,
    handle: async (k, r, [caseId = ""]) => {
      const w = words[k.lang];
      const c = (await k.ask("GET /v1/cases/{caseId}", { caseId })).body;
      let pupil: PupilView | undefined;
      try {
        pupil = (await k.ask("GET /v1/pupils/{pupilId}", { pupilId: c.pupilId })).body;
      } catch (err) {
        if (!toProblem(err)) throw err;
      }
      const notice = r.query.get("saved") ? w.saved : undefined;
      return k.page(200, casePage(k.view(`${w.case} ${caseId.slice(5, 13).toUpperCase()}`), c, pupil, k.csrf, notice));
    },
  },
  {
    method: "POST",
    path: casePath("/acknowledge"),
    principals: CASE_WORKERS,
    handle: async (k, _r, [caseId = ""]) => {
      await k.ask("POST /v1/cases/{caseId}/acknowledge", { caseId }, {});
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: casePath("/journal"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [caseId = ""]) => {
      const body = validate(schemas.JournalBody, { text: form.get("text") ?? "" });
      await k.ask("POST /v1/cases/{caseId}/journal", { caseId }, body);
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: casePath("/resolve"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [caseId = ""]) => {
      const w = words[k.lang];
      const body = validate(schemas.ResolveBody, { outcome: form.get("outcome") ?? "", note: form.get("note") ?? "" });
      // Items of the routine not done: resolving asks first (the form's box), and the server holds to it.
      const c = (await k.ask("GET /v1/cases/{caseId}", { caseId })).body;
      if (c.checklist.some((i) => !i.done) && form.get("confirmOpenItems") !== "1") {
        return k.page(
          400,
          messagePage(k.view(w.invalidTitle), w.resolveConfirmNeeded, { href: `/app/cases/${caseId}#resolve`, label: w.back }),
        );
      }
      await k.ask("POST /v1/cases/{caseId}/resolve", { caseId }, body);
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: casePath("/checklist/([\\w-]{1,64})"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [caseId = "", itemId = ""]) => {
      const field = (key: string) => (form.get(key)?.trim() ? { [key]: form.get(key)?.trim() } : {});
      const body = validate(schemas.ChecklistBody, {
        done: form.get("done") === "true",
        ...field("note"),
        ...field("date"),
        ...field("reference"),
      });
      await k.ask("PUT /v1/cases/{caseId}/checklist/{itemId}", { caseId, itemId }, body);
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "GET",
    path: /^\/app\/unplaced(\.csv)?$/,
    principals: OFFICE,
    handle: async (k, _r, [csv]) => {
      const kommunkod = officeOf(k);
      if (!kommunkod) throw problems.forbidden();
      const { items } = await allPages(
        async (cursor) =>
          (await k.ask("GET /v1/municipalities/{kommunkod}/unplaced", { kommunkod }, undefined, { limit: 500, cursor })).body,
      );
      if (csv) return k.file(`skolpliktsbevakning-${kommunkod}-${k.today}.csv`, unplacedCsv(items, k.lang));
      return k.page(200, unplacedPage(k.view(words[k.lang].unplacedTitle), items));
    },
  },
];
