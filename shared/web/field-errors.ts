/**
 * A refused form shown again where it was filled in (SPEC §8: errors in plain Swedish at the field,
 * with what was typed kept): each refused field says why beside itself, and a summary at the top
 * links to each. The API's JSON Pointers and English never reach the page.
 */
import { toProblem } from "../http/problems.ts";
import { type Html, html } from "./html.ts";
import { fieldMessage, fill, type Lang } from "./i18n.ts";
import { texts } from "./texts.ts";

/** The refused fields by the id of their input, each with its reason in the person's words. */
export type FieldErrors = Map<string, string>;

/** The fields a 400 refusal names (the API's validation, or a page's own); undefined for any other refusal. */
export function refusedFields(err: unknown): { path: string; message: string }[] | undefined {
  // A use case's refusal as the API would answer it (a `Refusal` of kind invalid is a 400 with its fields).
  const problem = toProblem(err);
  return problem?.status === 400 && problem.errors?.length ? problem.errors : undefined;
}

/** What is wrong, in the person's words: the messages the API and the pages give, with their figures kept. */
export function inWords(lang: Lang, message: string): string {
  const t = texts[lang];
  const within = /^must lie within the school year (\S+) \((\S+) … (\S+)\)$/.exec(message);
  if (within) return fill(t.errWithinSchoolYear, { year: within[1] ?? "", first: within[2] ?? "", last: within[3] ?? "" });
  const known: Record<string, string> = {
    "must be a date YYYY-MM-DD": t.errDate,
    "start is after end": t.errStartAfterEnd,
    "terms overlap": t.errTermsOverlap,
    "overlaps the placement before it": t.errCareOverlap,
    "must not be after today": t.errNotAfterToday,
    "from must not be after to": t.errToBeforeFrom,
  };
  return known[message] ?? fieldMessage(lang, message);
}

/** The summary above a refused form: what to put right, each a link to its field. */
export function errorSummary(lang: Lang, errors: FieldErrors): Html {
  if (errors.size === 0) return html``;
  return html`<div class="error" role="alert"><h2>${texts[lang].formNotSaved}</h2><ul>${[...errors].map(
    ([id, message]) => html`<li><a href="#${id}">${message}</a></li>`,
  )}</ul></div>`;
}

/** An input with its label, and its reason beside it when it was refused (aria-invalid, aria-describedby). */
export function inputAt(o: {
  id: string;
  name?: string;
  label: string;
  type?: "text" | "date";
  value?: string;
  errors: FieldErrors;
  required?: boolean;
  max?: number;
}): Html {
  const error = o.errors.get(o.id);
  return html`<label for="${o.id}">${o.label}</label>${error ? html`<p class="error" id="${o.id}-error">${error}</p>` : ""}<input type="${o.type ?? "text"}" id="${o.id}" name="${o.name ?? o.id}" value="${o.value ?? ""}"${o.type === "date" ? "" : html` maxlength="${String(o.max ?? 200)}"`}${o.required ? html` required` : ""}${error ? html` aria-invalid="true" aria-describedby="${o.id}-error"` : ""}>`;
}
