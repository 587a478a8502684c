/**
 * Instants as a custodian reads them: the cabinet's wall clock (`cabinet.timeZone`) with the
 * zone named, e.g. `2026-12-06 15:05 CET`, `2026-07-06 08:00 EDT`, `2026-12-06 19:35 UTC+05:30`.
 * Machine formats (--json, CSV) keep ISO 8601 instants; this is for tables only.
 *
 * Intl's short zone names depend on the locale (en-US knows EST but calls Berlin "GMT+1";
 * en-GB knows CET but calls New York "GMT-5"), so both are asked and a real abbreviation is
 * kept; where neither has one the offset is shown, as UTC±hh:mm.
 */
export type InstantFormat = (iso: string | null | undefined) => string;

export function localTimeFormat(
  timeZone: string,
  options: { seconds?: boolean } = {},
): InstantFormat {
  // Built on first use: a listing without times loads no time-zone data (several MB).
  let formats: { clock: Intl.DateTimeFormat; zoneNames: Intl.DateTimeFormat[] } | undefined;
  const build = () => ({
    clock: new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(options.seconds ? { second: '2-digit' } : {}),
    }),
    zoneNames: ['en-US', 'en-GB'].map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }),
    ),
  });
  return (iso) => {
    if (iso === null || iso === undefined || iso === '') return '-';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    const { clock, zoneNames } = (formats ??= build());
    const p = Object.fromEntries(clock.formatToParts(date).map((x) => [x.type, x.value]));
    const time = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${options.seconds ? `:${p.second}` : ''}`;
    return `${time} ${zoneName(date, zoneNames)}`;
  };
}

function zoneName(date: Date, formats: Intl.DateTimeFormat[]): string {
  let offset = 'UTC';
  for (const format of formats) {
    const name = format.formatToParts(date).find((x) => x.type === 'timeZoneName')?.value ?? '';
    const gmt = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
    if (!gmt) return name === '' ? offset : name;
    offset = `UTC${gmt[1]}${(gmt[2] ?? '').padStart(2, '0')}:${gmt[3] ?? '00'}`;
  }
  return offset;
}
