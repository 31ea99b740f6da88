/** Finding a pupil, and a pupil's page as each principal may see it (SPEC §1, §8). */

import { asTwelveDigits } from "../../domain/personnummer.ts";
import { toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import { readPupil, searchPupil } from "../../pupils/pupils.ts";
import { CASE_WORKERS, type WebRoute } from "../context.ts";
import { fieldMessage, words } from "../i18n.ts";
import { bodyFor } from "../input.ts";
import { flagsNotice } from "./flagged.ts";
import { pupilForms } from "./pupil-forms.ts";
import { type PupilView, pupilPage, pupilSearchPage } from "./pupil-views.ts";

export const pupilRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/pupils",
    principals: CASE_WORKERS,
    handle: (k) => k.page(200, pupilSearchPage(k.view(words[k.lang].findPupil), k.csrf)),
  },
  {
    method: "POST",
    path: "/app/pupils",
    principals: CASE_WORKERS,
    handle: async (k, { form }) => {
      const w = words[k.lang];
      // As Swedes write it: ten or twelve digits, with or without - or +.
      const personnummer = asTwelveDigits(form.get("personnummer") ?? "", k.today);
      try {
        const found = await searchPupil(k.acting, bodyFor(schemas.PupilSearchBody, { personnummer }));
        return k.redirect(`/app/pupils/${found.pupilId}`);
      } catch (err) {
        const problem = toProblem(err);
        if (!problem || problem.status >= 500) throw err;
        // Unknown, not the person's, or not a personnummer: one answer, the number not repeated back.
        const first = problem.errors?.[0];
        const text = problem.status === 400 ? (first ? fieldMessage(k.lang, first.message) : problem.detail) : w.notFoundPupil;
        return k.page(problem.status === 400 ? 400 : 404, pupilSearchPage(k.view(w.findPupil), k.csrf, text));
      }
    },
  },
  {
    method: "GET",
    path: /^\/app\/pupils\/([\w-]{1,64})$/,
    principals: CASE_WORKERS,
    handle: async (k, r, [pupilId = ""]) => {
      const w = words[k.lang];
      const pupil: PupilView = await readPupil(k.acting, { pupilId });
      const forms = pupilForms(k.lang, k.csrf, k.principal, pupil);
      // The page (and the window's title) names the pupil, to those the API shows the name to.
      const name = [pupil.givenName, pupil.familyName].filter(Boolean).join(" ");
      const title = name ? `${w.pupil}: ${name}` : w.pupil;
      const notice = flagsNotice(k, r.query, pupil) ?? (r.query.get("saved") ? w.saved : undefined);
      return k.page(200, pupilPage(k.view(title), pupil, forms, notice));
    },
  },
];
