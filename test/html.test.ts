/**
 * The HTML helper (shared/web/html.ts) escapes every value: any string, in any slot the pages use —
 * an element's text, a double- or single-quoted attribute, a textarea, a list of values — comes out
 * inert. Checked where it matters, in a real browser's parser: the document has exactly the
 * elements the template wrote, each slot reads back as the string, and nothing runs.
 */
import { existsSync } from "node:fs";
import fc from "fast-check";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { esc, Html, html } from "../shared/web/html.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
});

/** Strings an attacker would try, pieced from markup's own characters and words, and any text. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom("<", ">", "&", '"', "'", "/", "=", "`", "!", "-", " ", "\n", "\t", ";", "#"),
    fc.constantFrom(
      "script",
      "<script>window.ran=true</script>",
      "<img src=x onerror=window.ran=true>",
      '" onmouseover="window.ran=true',
      "' autofocus onfocus='window.ran=true",
      "</p>",
      "</textarea>",
      "<!--",
      "-->",
      "&amp;",
      "&#39;",
      "&lt;",
      "<![CDATA[",
    ),
    fc.string({ unit: "grapheme", maxLength: 3 }),
  ),
  maxLength: 40,
});

/** What an HTML parser keeps of a text: line ends become \n, and NUL is not text (it is dropped or replaced; never markup). */
const parsed = (s: string) => s.replace(/\r\n?/g, "\n");
const noNul = (s: string) => !s.includes("\0");

/** One slot of each kind; the template is what a page writes, the values are the attacker's. */
const piece = (s: string, i: number) =>
  html`<div id="d${i}" data-a="${s}" data-b='${s}'><span>${s}</span><textarea>${s}</textarea><ul>${[s, s].map((x) => html`<li>${x}</li>`)}</ul></div>`;
const ELEMENTS_PER_PIECE = 6; // div, span, textarea, ul, li, li

describe("the HTML helper", () => {
  it("escapes the five characters that matter and round-trips every string", () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const e = esc(s);
        expect(e).not.toMatch(/[<>"']/);
        // Every & starts one of our entities.
        expect(e.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
        const back = e.replace(
          /&(lt|gt|quot|#39|amp);/g,
          (_m, n: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[n] as string,
        );
        expect(back).toBe(s);
        // Html passes through as written; anything else is escaped, nested lists too.
        expect(html`${new Html("<b>")}${s}${[s, [s]]}`.value).toBe(`<b>${e}${e}${e}`);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves any string inert in every slot, as Chromium parses the page", async () => {
    const page = await browser.newPage();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostile.filter(noNul), { minLength: 1, maxLength: 25 }), async (values) => {
          const body = values.map((s, i) => piece(s, i).value).join("");
          await page.setContent(`<!doctype html><html><head><title>t</title></head><body><main>${body}</main></body></html>`);
          const seen = await page.evaluate(() => {
            const w = window as unknown as { ran?: boolean };
            const main = document.querySelector("main") as HTMLElement;
            return {
              ran: w.ran === true,
              elements: main.querySelectorAll("*").length,
              scripts: document.scripts.length,
              pieces: Array.from(main.children).map((d) => ({
                id: d.id,
                a: d.getAttribute("data-a"),
                b: d.getAttribute("data-b"),
                span: d.querySelector("span")?.textContent,
                textarea: (d.querySelector("textarea") as HTMLTextAreaElement | null)?.value,
                li: Array.from(d.querySelectorAll("li")).map((li) => li.textContent),
              })),
            };
          });
          expect(seen.ran).toBe(false);
          expect(seen.scripts).toBe(0);
          expect(seen.elements).toBe(values.length * ELEMENTS_PER_PIECE);
          for (const [i, s] of values.entries()) {
            const want = parsed(s);
            expect(seen.pieces[i]).toEqual({
              id: `d${i}`,
              a: want,
              b: want,
              span: want,
              // A textarea drops one newline right after its start tag, as HTML says.
              textarea: want.startsWith("\n") ? want.slice(1) : want,
              li: [want, want],
            });
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      await page.close();
    }
  });
});
