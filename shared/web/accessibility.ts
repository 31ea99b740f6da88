/**
 * The accessibility statement (tillgänglighetsredogörelse, lag 2018:1937 and DIGG's model): dated,
 * with how to report a problem and to whom, and the known issues listed as they are (SPEC §8) — a
 * statement that knew of none would not be true. Whoever fixes one of them takes it off the list
 * and dates the statement again.
 */
import { type Html, html } from "./html.ts";
import type { Chrome } from "./layout.ts";
import { layout } from "./layout.ts";

/** When the statement was made, and when it was last reviewed against the service. */
export const STATEMENT_MADE = "2026-06-15";
export const STATEMENT_REVIEWED = "2026-12-03";

const sv = html`<p>Elevvakt drivs av kommunerna som använder tjänsten. Vi vill att alla ska kunna använda den. Här beskriver vi hur Elevvakt uppfyller lagen om tillgänglighet till digital offentlig service (2018:1937), vilka brister vi känner till och hur du kan rapportera en brist.</p>
<p>Redogörelsen gjordes <time datetime="${STATEMENT_MADE}">${STATEMENT_MADE}</time> och granskades senast <time datetime="${STATEMENT_REVIEWED}">${STATEMENT_REVIEWED}</time>.</p>
<h2>Hur tillgänglig är tjänsten?</h2>
<p>Tjänsten är delvis förenlig med WCAG 2.1 nivå AA, på grund av bristerna nedan.</p>
<ul>
<li>Sidorna fungerar utan JavaScript, med tangentbord och på mobil (från 320 pixlar bred skärm utan att sidan behöver rullas i sidled).</li>
<li>Varje sida prövas automatiskt i en webbläsare med axe-core innan den släpps.</li>
</ul>
<h2>Kända brister</h2>
<ul>
<li>Inloggningen gäller högst 8 timmar och kan inte förlängas. Ett formulär som skickas efter det måste fyllas i igen efter ny inloggning (WCAG 2.2.1 Justerbar tidsgräns).</li>
<li>Tjänsten har bara prövats automatiskt. Den har ännu inte prövats med skärmläsare (till exempel NVDA, JAWS eller VoiceOver) eller av användare med funktionsnedsättning; automatiska prov hittar bara en del av bristerna.</li>
<li>Vissa sidor visar fortfarande koder i stället för namn, till exempel skolenhetskoder och stadsdelskoder. Koderna läses upp som siffror och bokstäver.</li>
<li>När tjänsten inte har en svensk text för ett fel visas felets engelska text, utan att språket är angivet (WCAG 3.1.2 Språk för del av innehåll).</li>
<li>Breda tabeller (statistik, granskningsloggen) radbryts på smala skärmar, vilket kan dela långa koder och datum mitt i.</li>
<li>Diagrammen på statistiksidorna är bilder med en textbeskrivning; siffrorna finns i tabellen under varje diagram.</li>
</ul>
<h2>Rapportera en brist</h2>
<p>Om du hittar något som inte fungerar, eller behöver innehållet på annat sätt: kontakta skolpliktsbevakningen (förvaltningen) i din kommun — den som gav dig tillgång till Elevvakt. Kommunens kontaktuppgifter finns på kommunens webbplats. Berätta vilken sida det gäller (adressen) och vad som inte fungerade. Vi svarar inom två veckor.</p>
<h2>Tillsyn</h2>
<p>Myndigheten för digital förvaltning (Digg) har tillsyn över lagen. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du <a href="https://www.digg.se/analys-och-uppfoljning/lagen-om-tillganglighet-till-digital-offentlig-service-dos-lagen/anmal-bristande-tillganglighet">anmäla det till Digg</a>.</p>`;

const en = html`<p>Elevvakt is run by the municipalities that use it. We want everyone to be able to use it. This statement says how Elevvakt meets the Swedish act on accessibility to digital public services (2018:1937), which issues we know of, and how to report one.</p>
<p>The statement was made on <time datetime="${STATEMENT_MADE}">${STATEMENT_MADE}</time> and last reviewed on <time datetime="${STATEMENT_REVIEWED}">${STATEMENT_REVIEWED}</time>.</p>
<h2>How accessible is the service?</h2>
<p>The service is partially compliant with WCAG 2.1 level AA, because of the issues below.</p>
<ul>
<li>The pages work without JavaScript, with a keyboard and on a phone (from a 320 pixel wide screen without scrolling sideways).</li>
<li>Every page is tested automatically in a browser with axe-core before it is released.</li>
</ul>
<h2>Known issues</h2>
<ul>
<li>A sign-in lasts at most 8 hours and cannot be extended. A form sent after that must be filled in again after signing in (WCAG 2.2.1 Timing Adjustable).</li>
<li>The service has only been tested automatically. It has not yet been tested with screen readers (such as NVDA, JAWS or VoiceOver) or by users with disabilities; automatic tests find only some issues.</li>
<li>Some pages still show codes instead of names, such as school unit codes and district codes. They are read out as digits and letters.</li>
<li>When the service has no Swedish text for an error, the error's English text is shown without its language marked (WCAG 3.1.2 Language of Parts).</li>
<li>Wide tables (statistics, the audit trail) wrap on narrow screens, which can split long codes and dates.</li>
<li>The charts on the statistics pages are images with a text description; the figures are in the table below each chart.</li>
</ul>
<h2>Report an issue</h2>
<p>If something does not work for you, or you need the content in another form: contact the attendance office of your municipality — whoever gave you access to Elevvakt. The municipality's contact details are on its website. Tell us which page (its address) and what did not work. We answer within two weeks.</p>
<h2>Supervision</h2>
<p>The Agency for Digital Government (Digg) supervises the act. If you are not satisfied with how we handle your feedback, you can <a href="https://www.digg.se/analys-och-uppfoljning/lagen-om-tillganglighet-till-digital-offentlig-service-dos-lagen/anmal-bristande-tillganglighet">report it to Digg</a>.</p>`;

export function accessibilityPage(chrome: Chrome): Html {
  return layout(chrome, chrome.lang === "sv" ? sv : en);
}
