/** A case worker's cases (SPEC §4, §8): the list, a case's page and its forms, and the office's watch list. */

import { acknowledge, journal, listCases, readCase, resolve, tick } from "../../casework/cases.ts";
import { problems, toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import { readPupil } from "../../pupils/pupils.ts";
import { unplacedOf } from "../../register/office.ts";
import { confirmed, confirmPage } from "../confirm.ts";
import { CASE_WORKERS, OFFICE, type PageContext, type WebRoute } from "../context.ts";
import { tr } from "../forms.ts";
import { CHECKLIST_SV, counted, fill, words } from "../i18n.ts";
import { type Answer, bodyFor, queryFor } from "../input.ts";
import { allPages } from "../paging.ts";
import { ticksOf } from "./case-checklist.ts";
import { casePage, caseTitle } from "./case-page.ts";
import { type CaseFilter, type CaseSummary, casesPage, STATUS_FILTERS } from "./case-views.ts";
import { districtNamesFor } from "./case-words.ts";
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
      const pick = (key: string) => r.query.get(key) || undefined;
      const filter: CaseFilter = {
        status: pick("status"),
        kind: pick("kind"),
        severity: pick("severity"),
        school: pick("school"),
        q: pick("q"),
        sort: pick("sort"),
      };
      // The cases of the statuses asked for, every page of them: the current ones by default, the
      // resolved ones on their filter (SPEC §8: history stays findable).
      const items: CaseSummary[] = [];
      for (const status of STATUS_FILTERS[filter.status ?? ""] ?? (STATUS_FILTERS[""] as [])) {
        const { items: got } = await allPages(
          async (cursor): Promise<Answer<typeof schemas.CaseListResponse>> =>
            await listCases(k.acting, queryFor(schemas.CasesQuery, { status, limit: 500, cursor })),
        );
        items.push(...got.filter((c): c is CaseSummary => !("movedAway" in c)));
      }
      return k.page(200, casesPage(k.view(words[k.lang].myCases), items, filter));
    },
  },
  {
    method: "GET",
    path: casePath(""),
    principals: CASE_WORKERS,
    handle: async (k, r, [caseId = ""]) => {
      const w = words[k.lang];
      const { c, pupil } = await caseAndPupil(k, caseId);
      const saved = r.query.get("saved");
      const opts = saved === "checklist" ? { checklistNotice: tr(k.lang)("checklistSaved") } : saved ? { notice: w.saved } : {};
      const districts = await districtNamesFor(k);
      return k.page(200, casePage(k.view(caseTitle(k.lang, c, pupil)), c, pupil, k.csrf, { ...opts, districts }));
    },
  },
  {
    method: "POST",
    path: casePath("/acknowledge"),
    principals: CASE_WORKERS,
    handle: async (k, _r, [caseId = ""]) => {
      await acknowledge(k.acting, { caseId, ...bodyFor(schemas.AcknowledgeBody, {}) });
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: casePath("/journal"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [caseId = ""]) => {
      const body = bodyFor(schemas.JournalBody, { text: form.get("text") ?? "" });
      await journal(k.acting, { caseId, ...body });
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: casePath("/resolve"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [caseId = ""]) => {
      const w = words[k.lang];
      const t = tr(k.lang);
      const body = bodyFor(schemas.ResolveBody, { outcome: form.get("outcome") ?? "", note: form.get("note") ?? "" });
      // Items of the routine not done: resolving asks first (the form's box, else this step, with what
      // was typed kept), and the server holds to it.
      const c = await readCase(k.acting, { caseId });
      const notDone = c.checklist.filter((i) => !i.done);
      if (notDone.length && form.get("confirmOpenItems") !== "1" && !confirmed(form)) {
        const title = (id: string, en: string) => (k.lang === "sv" ? (CHECKLIST_SV[id] ?? en) : en);
        return confirmPage(
          k,
          {
            title: t("confirmResolveTitle"),
            text: fill(t("confirmResolveText"), {
              items: counted(k.lang, notDone.length, w.openItems),
              list: notDone.map((i) => title(i.itemId, i.title).toLocaleLowerCase("sv")).join("; "),
              outcome: w.outcomes[body.outcome] ?? body.outcome,
            }),
            action: `/app/cases/${caseId}/resolve`,
            fields: { outcome: body.outcome, note: body.note },
            yes: t("confirmResolveYes"),
            back: `/app/cases/${caseId}#resolve`,
          },
          400,
        );
      }
      await resolve(k.acting, { caseId, ...body });
      return k.redirect(`/app/cases/${caseId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: casePath("/checklist"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [caseId = ""]) => {
      const { c, pupil } = await caseAndPupil(k, caseId);
      const { ticks, errors } = ticksOf(form, c.checklist, k.today, k.lang);
      // One refused item saves none: the page comes back with the reasons at the items and what was typed.
      if (Object.keys(errors).length) {
        const view = k.view(caseTitle(k.lang, c, pupil));
        const districts = await districtNamesFor(k);
        return k.page(400, casePage(view, c, pupil, k.csrf, { checklistErrors: errors, typed: form, districts }));
      }
      for (const { itemId, body } of ticks) {
        await tick(k.acting, { caseId, itemId, ...bodyFor(schemas.ChecklistBody, body) });
      }
      // Back to the checklist, not the top of the page.
      return k.redirect(`/app/cases/${caseId}?saved=checklist#checklist-section`);
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
        async (cursor) => await unplacedOf(k.acting, { kommunkod, ...queryFor(schemas.ListQuery, { limit: 500, cursor }) }),
      );
      const districts = await districtNamesFor(k);
      if (csv) return k.file(`skolpliktsbevakning-${kommunkod}-${k.today}.csv`, unplacedCsv(items, k.lang, districts));
      return k.page(200, unplacedPage(k.view(words[k.lang].unplacedTitle), items, districts));
    },
  },
];

/** A case and its pupil as the person may see them (a pupil the scope may not read: the case alone). */
async function caseAndPupil(k: PageContext, caseId: string) {
  const c = await readCase(k.acting, { caseId });
  let pupil: PupilView | undefined;
  try {
    pupil = await readPupil(k.acting, { pupilId: c.pupilId });
  } catch (err) {
    if (!toProblem(err)) throw err;
  }
  return { c, pupil };
}
