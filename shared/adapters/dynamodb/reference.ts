import type { ReferenceStore, Write } from "../../app/ports.ts";
import type { Calendar, CalendarYear } from "../../domain/calendar.ts";
import { type IsoDate, schoolYearOf } from "../../domain/dates.ts";
import type { Override, School } from "../../domain/model.ts";
import { DEFAULT_SETTINGS, type Settings } from "../../domain/settings.ts";
import { keys } from "./keys.ts";
import { RecordsTable } from "./records.ts";
import { asWrite, type Item, isConditionFailed, strip } from "./table.ts";

export class ReferenceTable extends RecordsTable implements ReferenceStore {
  // ---- reference data: schools, calendars, settings, municipalities ---------------------------

  getSchool(schoolId: string): Promise<School | undefined> {
    return this.reference<School>(keys.school(schoolId), false);
  }

  schoolItem(s: School): Item {
    return {
      ...keys.school(s.schoolId),
      entity: "school",
      ...s,
      gsi1pk: keys.municipalitySchools(s.municipality),
      gsi1sk: s.schoolId,
    };
  }

  /** The calendar that applies to a school: its own year where it has one, else its municipality's. */
  async calendarFor(school: School | undefined, kommunkod: string | undefined, dates: IsoDate[]): Promise<Calendar> {
    const years = [...new Set(dates.map(schoolYearOf))];
    const calendar: Calendar = {};
    for (const year of years) {
      const own = school
        ? await this.reference<{ calendar: CalendarYear }>(keys.calendar(`SCHOOL#${school.schoolId}`, year), true)
        : undefined;
      const muni = school?.municipality ?? kommunkod;
      const fallback =
        !own && muni ? await this.reference<{ calendar: CalendarYear }>(keys.calendar(`MUNI#${muni}`, year), true) : undefined;
      calendar[year] = (own ?? fallback)?.calendar;
    }
    return calendar;
  }

  async settings(kommunkod: string): Promise<Settings> {
    const item = await this.reference<{ settings: Partial<Settings> }>(keys.municipalitySettings(kommunkod), true);
    return { ...DEFAULT_SETTINGS, ...item?.settings };
  }

  /** The municipalities this deployment serves (registered with their first calendar). */
  async municipalities(): Promise<string[]> {
    return (await this.queryAll<{ kommunkod: string }>(null, keys.municipalities)).items.map((m) => m.kommunkod);
  }

  /** One stored calendar year, as saved, with who saved it and when. */
  async storedCalendar(
    owner: { kommunkod: string } | { schoolId: string },
    schoolYear: string,
  ): Promise<{ calendar: CalendarYear; updatedAt?: string; updatedBy?: string } | undefined> {
    const key = keys.calendar("kommunkod" in owner ? `MUNI#${owner.kommunkod}` : `SCHOOL#${owner.schoolId}`, schoolYear);
    const item = await this.reference<{ calendar: CalendarYear; updatedAt?: string; updatedBy?: string }>(key, true);
    return item ? { calendar: item.calendar, updatedAt: item.updatedAt, updatedBy: item.updatedBy } : undefined;
  }

  /** Saves a calendar (a municipality's or a school's own) for a school year; true when it replaced one. */
  async saveCalendar(
    owner: { kommunkod: string } | { schoolId: string },
    schoolYear: string,
    calendar: CalendarYear,
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }> {
    const key = keys.calendar("kommunkod" in owner ? `MUNI#${owner.kommunkod}` : `SCHOOL#${owner.schoolId}`, schoolYear);
    return this.saveReplacing(key, { entity: "calendar", calendar }, by);
  }

  /** Saves a municipality's detection thresholds; true when it replaced earlier ones. */
  saveSettings(kommunkod: string, settings: Partial<Settings>, by: { at: string; principal: string }) {
    return this.saveReplacing(keys.municipalitySettings(kommunkod), { entity: "settings", settings }, by);
  }

  /** The names a municipality stored for its districts (none stored: an empty list). */
  async districtNames(kommunkod: string): Promise<{ districtId: string; name: string }[]> {
    const item = await this.reference<{ districts: { districtId: string; name: string }[] }>(
      keys.municipalityDistricts(kommunkod),
      true,
    );
    return item?.districts ?? [];
  }

  /** Replaces a municipality's district names; true when it replaced earlier ones. */
  saveDistrictNames(kommunkod: string, districts: { districtId: string; name: string }[], by: { at: string; principal: string }) {
    return this.saveReplacing(keys.municipalityDistricts(kommunkod), { entity: "districts", districts }, by);
  }

  /** A municipality this deployment serves: its daily job and sweep run from now on. */
  async addMunicipality(kommunkod: string): Promise<void> {
    await this.put({ ...keys.municipality(kommunkod), entity: "municipality", kommunkod });
  }

  async saveSchool(school: School, by: { at: string; principal: string }): Promise<void> {
    await this.put({ ...this.schoolItem(school), updatedAt: by.at, updatedBy: by.principal });
  }

  protected async saveReplacing(
    key: { pk: string; sk: string },
    item: Item,
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }> {
    const before = await this.get(key);
    await this.put({ ...key, ...item, updatedAt: by.at, updatedBy: by.principal });
    return { replaced: !!before };
  }

  // ---- lock overrides --------------------------------------------------------------------------

  getOverride(kommunkod: string, overrideId: string): Promise<Override | undefined> {
    return this.get<Override>(keys.override(kommunkod, overrideId));
  }

  async overrides(kommunkod: string): Promise<Override[]> {
    const { pk, skPrefix } = keys.overrides(kommunkod);
    return (await this.queryAll<Item>(null, pk, { skPrefix })).items.map((o) => strip<Override>(o) as Override);
  }

  async schoolsIn(kommunkod: string): Promise<School[]> {
    const found = await this.queryAll<Item>("gsi1", keys.municipalitySchools(kommunkod));
    return found.items.map((i) => {
      const { schoolId, name, organiserType, municipality, schoolForm, closedOn } = i as unknown as School;
      return {
        schoolId,
        name,
        organiserType,
        municipality,
        ...(schoolForm ? { schoolForm } : {}),
        ...(closedOn ? { closedOn } : {}),
      };
    });
  }

  overrideWrite(o: Override): Write {
    return asWrite({
      Put: {
        TableName: this.table,
        Item: { ...keys.override(o.kommunkod, o.overrideId), entity: "override", ...o },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** Settles a pending override — approved (claimed before the release is carried out) or rejected; false when someone else settled it first. */
  async settleOverride(
    o: Override,
    to: "approved" | "rejected",
    by: { person: string; credentialId: string; identity?: string; at: string; note?: string },
  ): Promise<boolean> {
    const fields =
      to === "approved"
        ? {
            approvedBy: by.person,
            approvedByCredential: by.credentialId,
            approvedByIdentity: by.identity,
            approvedAt: by.at,
            approveNote: by.note,
          }
        : { rejectedBy: by.person, rejectedAt: by.at, rejectNote: by.note };
    const set = Object.entries(fields).filter(([, v]) => v !== undefined);
    try {
      await this.update({
        Key: keys.override(o.kommunkod, o.overrideId),
        UpdateExpression: `SET #s = :to, ${set.map(([k]) => `${k} = :${k}`).join(", ")}`,
        ConditionExpression: "#s = :pending",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":to": to, ":pending": "pending", ...Object.fromEntries(set.map(([k, v]) => [`:${k}`, v])) },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async addOverrideApproval(o: Override, approval: { identity: string; person: string; at: string }): Promise<boolean> {
    try {
      await this.update({
        Key: keys.override(o.kommunkod, o.overrideId),
        UpdateExpression: "SET approvals = :list",
        ConditionExpression: "#s = :pending AND attribute_not_exists(approvals)",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":list": [approval], ":pending": "pending" },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** An approval whose release could not be carried out: the override waits again. */
  async releaseOverrideApproval(o: Override): Promise<void> {
    await this.update({
      Key: keys.override(o.kommunkod, o.overrideId),
      UpdateExpression: "SET #s = :pending REMOVE approvedBy, approvedByCredential, approvedByIdentity, approvedAt, approveNote",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":pending": "pending" },
    });
  }
}
